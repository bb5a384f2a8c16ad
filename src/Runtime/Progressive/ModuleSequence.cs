using System.Collections.Generic;
using TorchSharp;

namespace ModelDsl.Progressive;

/// <summary>
/// An indexable list of modules that registers each item as it is added (keys <c>0</c>, <c>1</c>, …), so a
/// network that grows after construction keeps every new module in its parameters and state dict.
/// </summary>
public sealed class ModuleSequence<T> : torch.nn.Module
    where T : torch.nn.Module
{
    private readonly List<T> _items = new();

    /// <summary>Creates an empty sequence.</summary>
    public ModuleSequence()
        : base(nameof(ModuleSequence<T>))
    {
    }

    /// <summary>The number of modules.</summary>
    public int Count => _items.Count;

    /// <summary>The module at <paramref name="index"/>.</summary>
    public T this[int index] => _items[index];

    /// <summary>The modules in order.</summary>
    public IReadOnlyList<T> Items => _items;

    /// <summary>Appends and registers a module.</summary>
    public void Add(T module)
    {
        register_module(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _items.Add(module);
    }

    // Items are registered by Add; reflection over fields would find nothing useful.
    /// <inheritdoc/>
    protected override void RegisterComponents()
    {
    }
}
