using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Parse;

/// <summary>
/// Reads a <c>[Model]</c> class into a <see cref="ModelSpec"/>. Only declaration problems are reported here;
/// everything about shapes belongs to the check stage.
/// </summary>
internal static class ModelParser
{
    private const int MaxNestingDepth = 8;

    public static ParseResult Parse(INamedTypeSymbol type, SyntaxNode node, Compilation compilation, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var declaration = node as TypeDeclarationSyntax;
        var identifier = declaration is not null ? LocationInfo.From(declaration.Identifier.GetLocation()) : LocationInfo.From(node);

        // [Model] on several partial declarations of one class: the first one in source order speaks for all.
        if (declaration is null || declaration is InterfaceDeclarationSyntax || !IsFirstDeclarationWith(type, declaration, KnownNames.ModelAttribute))
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        // A name lost to a syntax error is the compiler's to report; there is no class to extend.
        if (!TypeNames.IsWellFormed(type))
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        if (declaration is not ClassDeclarationSyntax)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, identifier, type.Name, "a model must be a class (not a record or struct)"));

        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, identifier, type.Name));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        if (type.ContainingType is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, identifier, type.Name, "a model must be a top-level class, not nested in another type"));
        if (type.IsGenericType)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, identifier, type.Name, "a model cannot be generic; use constructor parameters for its hyperparameters"));
        if (type.IsStatic || type.IsAbstract)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, identifier, type.Name, "a model must be a concrete, non-static class"));
        var hasBaseClass = type.TypeKind == TypeKind.Class && declaration is ClassDeclarationSyntax && type.BaseType is { SpecialType: not SpecialType.System_Object };
        if (hasBaseClass)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, identifier, type.Name, $"do not declare a base class ('{type.BaseType!.Name}'); the generator derives the model from TorchSharp's Module"));
        // The generated part lives in another file, which cannot extend a file-local class.
        if (type.IsFileLocal)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, identifier, type.Name, "a model cannot be file-local ('file'); the generator extends it from another file"));
        // Placeholders cannot be written for a static or file-local class, nor one with its own base class.
        if (type.IsStatic || hasBaseClass || type.IsFileLocal)
            return new ParseResult(null, diagnostics.ToEquatableArray());

        var model = ReadModel(type, diagnostics, nesting: [], cancellationToken);
        MissingTypes(type, model, compilation, diagnostics);
        DeclarationRules.Check(type, model, diagnostics);
        ConstructorRules.Check(type, model, diagnostics);
        // A model with declaration errors is still returned: the emitter writes placeholder members for it so the
        // build reports only ModelDsl's diagnostics, not a cascade of missing partial implementations.
        return new ParseResult(model, diagnostics.ToEquatableArray());
    }

    // [Model(Onnx = false)] opts out of the ONNX export.
    private static bool ExportsOnnx(INamedTypeSymbol type)
        => !type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.ModelAttribute)
            .SelectMany(a => a.NamedArguments).Any(a => a.Key == nameof(ModelAttribute.Onnx) && a.Value.Value is false);

    // A layer's or Forward's type that did not resolve for want of a using: MDL0039 with the using to add, instead of a
    // type mismatch between two types of the same name.
    private static void MissingTypes(INamedTypeSymbol type, ModelSpec model, Compilation compilation, List<DiagnosticInfo> diagnostics)
    {
        foreach (var property in type.GetMembers().OfType<IPropertySymbol>().Where(p => model.Members.Any(m => m.Name == p.Name)))
        {
            var missing = property.Type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeKind != TypeKind.Error ? generic.TypeArguments.FirstOrDefault() : property.Type;
            if (missing is not null && MissingUsings.For(missing, compilation) is { } ns)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleTypeNotFound, model.Members.First(m => m.Name == property.Name).Location, property.Name, missing.Name, ns).WithFix(Fix.AddUsing(ns)));
        }

        foreach (var method in type.GetMembers("Forward").OfType<IMethodSymbol>())
        {
            var types = method.Parameters.Select(p => p.Type).Prepend(method.ReturnType);
            if (types.Select(t => MissingUsings.For(t, compilation)).FirstOrDefault(ns => ns is not null) is { } ns)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleTypeNotFound, model.Forward?.Location ?? model.Location, "Forward", "Tensor", ns).WithFix(Fix.AddUsing(ns)));
        }
    }

    /// <summary>Reads a model that the models of <paramref name="nesting"/> nest, outermost first (empty for a model of its own).</summary>
    internal static ModelSpec ReadModel(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, IReadOnlyList<INamedTypeSymbol> nesting, CancellationToken cancellationToken)
    {
        var path = nesting.Concat([type]).ToList();
        var (parameters, ctorModifiers) = ReadConstructor(type);
        var constants = type.GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.IsConst && f.HasConstantValue)
            .Select(f => new HyperParameterSpec(f.Name, f.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), FormatConstant(f.ConstantValue)))
            .ToEquatableArray();

        var members = new List<MemberSpec>();
        foreach (var member in InSourceOrder(type.GetMembers()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var steps = ReadSteps(member);
            if (steps.Count == 0)
                continue;
            var spec = ReadMember(member, steps, diagnostics, path, cancellationToken);
            if (spec is not null)
                members.Add(spec);
        }

        var forward = ReadForward(type, diagnostics);
        var containing = new List<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            containing.Insert(0, DeclarationHeader(outer));
        return new ModelSpec(
            TypeNames.Namespace(type),
            type.Name,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            parameters,
            constants,
            ctorModifiers,
            members.ToEquatableArray(),
            forward,
            type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.ProgressiveColumnAttribute),
            type.GetMembers().Where(m => !m.IsImplicitlyDeclared).Select(m => m.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray(),
            ReadMethods(type),
            type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(t => Naming.Escape(t.Name))) + ">",
            type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().Select(Keyword).FirstOrDefault() ?? "class",
            containing.ToEquatableArray(),
            TypeNames.HintName(type),
            TypeNames.Accessibility(type) == "public",
            ConstructorRules.HasClashingConstructor(type),
            ExportsOnnx(type),
            LocationInfo.From(type.Locations.FirstOrDefault() ?? Location.None));
    }

    private static (EquatableArray<HyperParameterSpec> Parameters, string? Modifiers) ReadConstructor(INamedTypeSymbol type)
    {
        foreach (var ctor in type.InstanceConstructors)
        {
            foreach (var reference in ctor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is ConstructorDeclarationSyntax syntax
                    && IsPartialDefinition(syntax))
                {
                    var parameters = ctor.Parameters
                        .Select(p => new HyperParameterSpec(p.Name, p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), null))
                        .ToEquatableArray();
                    return (parameters, ModifiersWithoutPartial(syntax.Modifiers));
                }
            }
        }

        return (EquatableArray<HyperParameterSpec>.Empty, null);
    }

    private static List<StepSpec> ReadSteps(ISymbol member)
    {
        var steps = new List<StepSpec>();
        foreach (var attribute in member.GetAttributes())
        {
            if (!IsDslStep(attribute.AttributeClass))
                continue;
            // A constructor argument is named after the property exposing it (outFeatures → OutFeatures), so that
            // rules read every argument by the property's nameof; a params array arrives as one array argument.
            var args = new List<NamedArg>();
            var constructor = attribute.AttributeConstructor;
            for (var i = 0; constructor is not null && i < attribute.ConstructorArguments.Length && i < constructor.Parameters.Length; i++)
                args.Add(new NamedArg(PropertyName(constructor.Parameters[i].Name), ArgReader.Read(attribute.ConstructorArguments[i])));
            args.AddRange(attribute.NamedArguments.Select(a => new NamedArg(a.Key, ArgReader.Read(a.Value))));
            steps.Add(new StepSpec(attribute.AttributeClass!.Name, args.ToEquatableArray(), constructor is null, LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax())));
        }

        // Roslyn returns attributes in source order within one declaration; keep that order explicitly.
        return steps.OrderBy(s => s.Location?.Span.Start ?? 0).ToList();
    }

    private static string PropertyName(string parameter)
        => parameter.Length == 0 ? parameter : char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);

    private static bool IsDslStep(INamedTypeSymbol? attributeClass)
    {
        for (var t = attributeClass?.BaseType; t is not null; t = t.BaseType)
        {
            var name = t.ToDisplayString();
            if (name is KnownNames.LayerAttribute or KnownNames.StepAttribute)
                return true;
        }

        return false;
    }

    private static MemberSpec? ReadMember(ISymbol member, List<StepSpec> steps, List<DiagnosticInfo> diagnostics, List<INamedTypeSymbol> path, CancellationToken cancellationToken)
    {
        var location = LocationInfo.From(member.Locations.FirstOrDefault() ?? Location.None);
        if (member is not IPropertySymbol property)
        {
            var kind = member switch { IFieldSymbol => "a field", IMethodSymbol => "a method", _ => "this kind of member" };
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAPartialProperty, location, member.Name, $"it is {kind}; declare layers as 'partial T Name {{ get; }}' properties"));
            return null;
        }

        var syntax = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        var isPartialDefinition = syntax is not null && syntax.Modifiers.Any(SyntaxKind.PartialKeyword) && DeclarationRules.HasPlainGetter(syntax);
        if (!isPartialDefinition || syntax is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAPartialProperty, location, member.Name, "layers must be declared as 'partial T Name { get; }' without a body"));
            return null;
        }

        if (property.PartialImplementationPart is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAPartialProperty, location, member.Name, "it is implemented already; the generator writes its body"));
            return null;
        }

        if (property.SetMethod is not null || property.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAPartialProperty, location, member.Name, "a layer property must be an instance property with only 'get'"));
            if (property.IsStatic)
                return null;
        }

        var type = property.Type as INamedTypeSymbol;
        var metadataName = type is null ? property.Type.ToDisplayString() : MetadataName(type);
        ModelSpec? nested = null;
        string? cycle = null;
        var modelType = metadataName == KnownNames.ModuleList && type!.TypeArguments.Length == 1 ? type.TypeArguments[0] as INamedTypeSymbol : type;
        // Only a class can be a model ([Model] elsewhere is a compiler error); anything else is no nested model. A model
        // that contains itself, directly or through others, is not read again: its check reports the cycle.
        if (modelType is { TypeKind: TypeKind.Class } && IsModel(modelType))
        {
            var start = path.FindIndex(t => SymbolEqualityComparer.Default.Equals(t, modelType));
            if (start >= 0)
                cycle = string.Join(" → ", path.Skip(start).Select(t => t.Name).Concat([modelType.Name]));
            else if (path.Count <= MaxNestingDepth)
                nested = ReadModel(modelType, new List<DiagnosticInfo>(), path, cancellationToken);
        }

        return new MemberSpec(
            property.Name,
            ModifiersWithoutPartial(syntax.Modifiers),
            property.SetMethod is null ? "" : ModifiersWithoutPartial(syntax.AccessorList!.Accessors.First(a => a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration)).Modifiers) + (property.SetMethod.IsInitOnly ? " init" : " set"),
            property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            metadataName,
            steps.ToEquatableArray(),
            nested,
            cycle,
            location);
    }

    private static ForwardSpec? ReadForward(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        var identifier = LocationInfo.From(type.Locations.FirstOrDefault() ?? Location.None);
        var candidates = type.GetMembers("Forward").OfType<IMethodSymbol>().ToList();
        var method = candidates.FirstOrDefault(m => m.IsPartialDefinition) ?? candidates.FirstOrDefault(m => m.PartialImplementationPart is not null);
        if (method is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingForward, identifier, type.Name));
            return null;
        }

        var location = LocationInfo.From(method.Locations.FirstOrDefault() ?? Location.None);
        var syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault(s => s.Body is null && s.ExpressionBody is null);
        if (syntax is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingForward, identifier, type.Name));
            return null;
        }

        // Roslyn overflows its stack compiling an implementation of a partial method whose parameter attributes
        // name the method itself; refuse the declaration instead of implementing it.
        if (syntax.ParameterList.DescendantNodes().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.Text == "Forward"))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardNotImplementable, location, type.Name, "its parameter attributes may not refer to Forward itself"));
            return null;
        }

        // A second implementation would clash with the user's: report it and leave Forward alone.
        if (syntax.Modifiers.Any(SyntaxKind.ExternKeyword) || method.PartialImplementationPart is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardNotImplementable, location, type.Name, "it is implemented already ('extern' or a body); declare it without either, the generator implements it"));
            return null;
        }

        var outputElements = OutputElements(method.ReturnType);
        // A 'Tensor' that did not resolve is MDL0039's (a missing using), not a wrong return type.
        if ((outputElements is null && !IsUnresolvedTensor(method.ReturnType)) || method.RefKind != RefKind.None)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardReturnType, location, type.Name, $"{(method.RefKind == RefKind.None ? "" : "ref ")}{method.ReturnType.ToDisplayString()}"));
        if (method.Parameters.Length is 0 or > 6)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardArgument, location, type.Name, $"it takes {method.Parameters.Length} arguments; 1 to 6 tensors are supported"));
        if (method.IsGenericMethod || method.IsStatic)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardNotImplementable, location, type.Name, "it must be a non-generic instance method"));

        var inputs = new List<InputSpec>();
        foreach (var parameter in method.Parameters)
        {
            var parameterLocation = LocationInfo.From(parameter.Locations.FirstOrDefault() ?? Location.None);
            if (!SyntaxFacts.IsValidIdentifier(parameter.Name))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardArgument, parameterLocation, type.Name, $"argument {parameter.Ordinal + 1} has no valid name"));
            if ((!IsTensor(parameter.Type) && !IsUnresolvedTensor(parameter.Type)) || HasModifiers(parameter))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardArgument, parameterLocation, type.Name, $"argument '{parameter.Name}' must be a Tensor passed by value, without modifiers such as 'ref', 'this' or 'params'"));
            var shapes = ReadShapes(parameter.GetAttributes());
            if (shapes.Count != 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingShape, parameterLocation, type.Name, parameter.Name, shapes.Count == 0 ? "a" : "exactly one"));
            inputs.Add(new InputSpec(parameter.Name, parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), shapes.Count > 0 ? shapes[0].Dims : null, parameterLocation));
        }

        var outputs = ReadOutputs(type, method, outputElements ?? new List<string?> { null }, location, diagnostics);
        return new ForwardSpec(ModifiersWithoutPartial(syntax.Modifiers), method.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), inputs.ToEquatableArray(), outputs, method.ReturnType.IsTupleType, location);
    }

    // The names of the returned values: [null] for a Tensor, the element names of a tuple of Tensors; null otherwise.
    private static List<string?>? OutputElements(ITypeSymbol returnType)
    {
        if (IsTensor(returnType))
            return new List<string?> { null };
        if (returnType is not INamedTypeSymbol { IsTupleType: true } tuple || tuple.TupleElements.Length is < 2 or > 7 || !tuple.TupleElements.All(e => IsTensor(e.Type)))
            return null;
        return tuple.TupleElements.Select(e => e.IsExplicitlyNamedTupleElement ? e.Name : null).ToList();
    }

    // One [return: Shape] per returned value, in order (or none at all); a tuple's elements must be named.
    private static EquatableArray<OutputSpec> ReadOutputs(INamedTypeSymbol type, IMethodSymbol method, List<string?> elements, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        var shapes = ReadShapes(method.GetReturnTypeAttributes());
        var isTuple = method.ReturnType.IsTupleType;
        if (shapes.Count > 0 && shapes.Count != elements.Count)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputShapeCount, shapes[elements.Count < shapes.Count ? elements.Count : 0].Location ?? location, type.Name, elements.Count, shapes.Count));
            shapes.Clear();
        }

        var outputs = new List<OutputSpec>();
        for (var i = 0; i < elements.Count; i++)
        {
            if (isTuple && elements[i] is null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnnamedOutput, location, type.Name, i + 1));
            outputs.Add(new OutputSpec(elements[i], shapes.Count > 0 ? shapes[i].Dims : null, shapes.Count > 0 ? shapes[i].Location ?? location : location));
        }

        return outputs.ToEquatableArray();
    }

    // Methods with a shape contract ([Shape] on a parameter or the return value): the targets of [Call] steps.
    private static EquatableArray<MethodSpec> ReadMethods(INamedTypeSymbol type)
    {
        var methods = new List<MethodSpec>();
        foreach (var method in InSourceOrder(type.GetMembers()).OfType<IMethodSymbol>())
        {
            if (method.MethodKind != MethodKind.Ordinary || method.Name == "Forward")
                continue;
            var returnShapes = ReadShapes(method.GetReturnTypeAttributes());
            var parameterShapes = method.Parameters.Select(p => ReadShapes(p.GetAttributes())).ToList();
            if (returnShapes.Count == 0 && parameterShapes.All(p => p.Count == 0))
                continue;

            var problem = !IsTensor(method.ReturnType) || method.ReturnsByRef || method.ReturnsByRefReadonly ? $"it must return Tensor, not '{method.ReturnType.ToDisplayString()}'"
                : method.IsGenericMethod ? "it must not be generic"
                : method.Parameters.Length == 0 ? "it must take the flowing value as its first Tensor parameter"
                : method.Parameters.FirstOrDefault(p => !IsTensor(p.Type) || HasModifiers(p)) is { } wrong ? $"parameter '{wrong.Name}' must be a Tensor passed by value"
                : parameterShapes.Select((shapes, i) => (shapes, i)).FirstOrDefault(p => p.shapes.Count != 1) is { shapes: not null } missing ? $"parameter '{method.Parameters[missing.i].Name}' needs exactly one [Shape(...)]"
                : returnShapes.Count != 1 ? "its return value needs exactly one [return: Shape(...)]"
                : null;
            var parameters = method.Parameters.Select((p, i) => new InputSpec(p.Name, p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), parameterShapes[i].Count == 1 ? parameterShapes[i][0].Dims : null, LocationInfo.From(p.Locations.FirstOrDefault() ?? Location.None)));
            methods.Add(new MethodSpec(method.Name, parameters.ToEquatableArray(), returnShapes.Count == 1 ? returnShapes[0].Dims : null, problem, LocationInfo.From(method.Locations.FirstOrDefault() ?? Location.None)));
        }

        return methods.ToEquatableArray();
    }

    private static List<(EquatableArray<ArgValue> Dims, LocationInfo? Location)> ReadShapes(ImmutableArray<AttributeData> attributes)
    {
        var shapes = new List<(EquatableArray<ArgValue> Dims, LocationInfo? Location)>();
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeClass?.ToDisplayString() != KnownNames.ShapeAttribute)
                continue;
            var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax());
            shapes.Add(attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind != TypedConstantKind.Array
                ? (new[] { ArgValue.Of(ArgKind.Other, "?") }.ToEquatableArray(), location)
                : (ArgReader.Read(attribute.ConstructorArguments[0]).Items, location));
        }

        return shapes.OrderBy(s => s.Location?.Span.Start ?? 0).ToList();
    }

    /// <summary>A partial constructor the generator implements: no body, and not 'extern' (which makes it an implementation).</summary>
    internal static bool IsPartialDefinition(ConstructorDeclarationSyntax syntax)
        => syntax.Modifiers.Any(SyntaxKind.PartialKeyword) && !syntax.Modifiers.Any(SyntaxKind.ExternKeyword)
           && syntax.Body is null && syntax.ExpressionBody is null;

    /// <summary>Whether a parameter is declared with modifiers (ref, this, params, scoped…), which the implementation would have to repeat.</summary>
    internal static bool HasModifiers(IParameterSymbol parameter)
        => parameter.RefKind != RefKind.None || parameter.IsParams || parameter.IsThis || parameter.ScopedKind != ScopedKind.None
           || parameter.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<ParameterSyntax>().Any(p => p.Modifiers.Count > 0);

    internal static bool IsModel(INamedTypeSymbol type)
        => type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.ModelAttribute);

    private static bool IsUnresolvedTensor(ITypeSymbol type) => type.TypeKind == TypeKind.Error && type.Name == "Tensor";

    private static bool IsTensor(ITypeSymbol type)
        => type is INamedTypeSymbol named && MetadataName(named) == KnownNames.Tensor;

    private static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            name = outer.MetadataName + "+" + name;
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + name;
    }

    private static IEnumerable<ISymbol> InSourceOrder(ImmutableArray<ISymbol> members)
        => members
            .Where(m => !m.IsImplicitlyDeclared && m.Locations.Any(l => l.IsInSource))
            .OrderBy(m => m.Locations[0].SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(m => m.Locations[0].SourceSpan.Start);

    /// <summary>
    /// Whether <paramref name="node"/> carries the first (in source order) application of an attribute that may
    /// sit on several partial declarations of one type: that declaration speaks for all, so the output is unique.
    /// </summary>
    internal static bool IsFirstDeclarationWith(INamedTypeSymbol type, SyntaxNode node, string attribute)
    {
        var first = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == attribute && a.ApplicationSyntaxReference is not null)
            .Select(a => a.ApplicationSyntaxReference!)
            .OrderBy(r => r.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(r => r.Span.Start)
            .FirstOrDefault();
        return first is null || (first.SyntaxTree == node.SyntaxTree && node.Span.Contains(first.Span));
    }

    private static string Keyword(TypeDeclarationSyntax syntax)
        => syntax is RecordDeclarationSyntax record ? "record " + (record.ClassOrStructKeyword.Text is { Length: > 0 } k ? k : "class") : syntax.Keyword.Text;

    // "partial class Outer<T>" for a containing type, or "" when it is not partial (no placeholder can be written).
    private static string DeclarationHeader(INamedTypeSymbol type)
    {
        var syntax = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().FirstOrDefault();
        if (syntax is null || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            return "";
        return $"partial {Keyword(syntax)} {syntax.Identifier.Text}{syntax.TypeParameterList}";
    }

    internal static string ModifiersWithoutPartial(SyntaxTokenList modifiers)
        => string.Join(" ", modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text));

    private static string? FormatConstant(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        System.IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
