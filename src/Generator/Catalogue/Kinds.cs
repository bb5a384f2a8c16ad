using System;
using System.Collections.Generic;
using ModelDsl.Generator.Catalogue.Layers;
using ModelDsl.Generator.Catalogue.Steps;
using ModelDsl.Generator.Check;

namespace ModelDsl.Generator.Catalogue;

/// <summary>Checks one attribute: the typed operation and its output shape, or null after reporting why not.</summary>
internal delegate Checked? ShapeRule(StepContext step);

/// <summary>
/// The DSL's catalogue: every layer and step attribute and the rule that checks it, keyed by the attribute class's
/// name. A kind is its attribute (in ModelDsl.Abstractions), one file here (its record: shape rule, construction,
/// forward code), and one line below; a test checks that this list and the attribute classes agree.
/// </summary>
internal static class Kinds
{
    public static readonly IReadOnlyDictionary<string, ShapeRule> Rules = new Dictionary<string, ShapeRule>(StringComparer.Ordinal)
    {
        // Layers: a member's own module.
        [nameof(LinearAttribute)] = LinearLayer.Check,
        [nameof(EmbeddingAttribute)] = EmbeddingLayer.Check,
        [nameof(IdentityAttribute)] = IdentityLayer.Check,
        [nameof(Conv2dAttribute)] = Conv2dLayer.Check,
        [nameof(ConvTranspose2dAttribute)] = ConvTranspose2dLayer.Check,
        [nameof(Conv1dAttribute)] = Conv1dLayer.Check,
        [nameof(BatchNorm1dAttribute)] = BatchNormLayer.Check1d,
        [nameof(BatchNorm2dAttribute)] = BatchNormLayer.Check2d,
        [nameof(LayerNormAttribute)] = LayerNormLayer.Check,
        [nameof(GroupNormAttribute)] = GroupNormLayer.Check,
        [nameof(RMSNormAttribute)] = RMSNormLayer.Check,
        [nameof(CausalSelfAttentionAttribute)] = CausalSelfAttentionLayer.Check,
        [nameof(AttentionAttribute)] = AttentionLayer.Check,
        [nameof(PositionalEmbeddingAttribute)] = PositionalEmbeddingLayer.Check,
        [nameof(LSTMAttribute)] = RecurrentLayer.CheckLstm,
        [nameof(GRUAttribute)] = RecurrentLayer.CheckGru,
        [nameof(ClassTokenAttribute)] = ClassTokenLayer.Check,
        [nameof(LearnedAttribute)] = LearnedLayer.Check,
        [nameof(NestedAttribute)] = NestedLayer.Check,

        // Element-wise steps.
        [nameof(ReLUAttribute)] = s => ActivationOp.Check(s, ActivationFunction.ReLU),
        [nameof(LeakyReLUAttribute)] = ActivationOp.CheckLeaky,
        [nameof(GELUAttribute)] = s => ActivationOp.Check(s, ActivationFunction.GELU),
        [nameof(TanhAttribute)] = s => ActivationOp.Check(s, ActivationFunction.Tanh),
        [nameof(SigmoidAttribute)] = s => ActivationOp.Check(s, ActivationFunction.Sigmoid),
        [nameof(SiLUAttribute)] = s => ActivationOp.Check(s, ActivationFunction.SiLU),
        [nameof(ExpAttribute)] = s => ActivationOp.Check(s, ActivationFunction.Exp),
        [nameof(SoftmaxAttribute)] = s => SoftmaxOp.Check(s, log: false),
        [nameof(LogSoftmaxAttribute)] = s => SoftmaxOp.Check(s, log: true),
        [nameof(DropoutAttribute)] = DropoutOp.Check,
        [nameof(ScaleAttribute)] = ScaleOp.Check,
        [nameof(RandnLikeAttribute)] = RandnLikeOp.Check,
        [nameof(SinusoidalEncodingAttribute)] = SinusoidalEncodingOp.Check,

        // Shape steps.
        [nameof(FlattenAttribute)] = FlattenOp.Check,
        [nameof(ReshapeAttribute)] = ReshapeOp.Check,
        [nameof(TransposeAttribute)] = TransposeOp.Check,
        [nameof(PermuteAttribute)] = PermuteOp.Check,
        [nameof(UnsqueezeAttribute)] = SqueezeOp.CheckUnsqueeze,
        [nameof(SqueezeAttribute)] = SqueezeOp.CheckSqueeze,
        [nameof(MeanAttribute)] = MeanOp.Check,
        [nameof(SelectAttribute)] = SelectOp.Check,
        [nameof(ChunkAttribute)] = SplitOp.CheckChunk,
        [nameof(SplitAttribute)] = SplitOp.CheckSplit,
        [nameof(MaxPool2dAttribute)] = s => PoolOp.Check(s, max: true),
        [nameof(AvgPool2dAttribute)] = s => PoolOp.Check(s, max: false),
        [nameof(AdaptiveAvgPool2dAttribute)] = AdaptiveAvgPool2dOp.Check,
        [nameof(UpsampleAttribute)] = UpsampleOp.Check,

        // Wiring: steps that read other values.
        [nameof(InputAttribute)] = InputOp.Check,
        [nameof(ResidualAttribute)] = ResidualOp.Check,
        [nameof(ConcatAttribute)] = ConcatOp.Check,
        [nameof(AddAttribute)] = s => ArithmeticOp.Check(s, multiply: false),
        [nameof(MultiplyAttribute)] = s => ArithmeticOp.Check(s, multiply: true),
        [nameof(CallAttribute)] = CallOp.Check,
    };
}
