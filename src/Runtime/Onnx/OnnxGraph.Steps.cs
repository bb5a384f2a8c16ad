using System;
using System.Linq;

namespace ModelDsl.Onnx;

// The DSL's steps, each as the node or few nodes that compute what its TorchSharp call computes.
public sealed partial class OnnxGraph
{
    /// <summary><c>relu</c>.</summary>
    public OnnxValue Relu(OnnxValue x) => Node("Relu", x);

    /// <summary><c>leaky_relu</c> with <paramref name="slope"/>.</summary>
    public OnnxValue LeakyRelu(OnnxValue x, double slope) => Node("LeakyRelu", new[] { x }, Attribute("alpha", (float)slope));

    /// <summary>Exact <c>gelu</c>, <c>x·Φ(x)</c>: the <c>Gelu</c> operator from opset 20, else <c>x·(1 + erf(x/√2))/2</c>.</summary>
    public OnnxValue Gelu(OnnxValue x)
    {
        if (Opset >= 20)
            return Node("Gelu", x);
        var erf = Node("Erf", Node("Div", x, Scalar((float)Math.Sqrt(2.0))));
        return Node("Mul", Node("Mul", x, Node("Add", erf, Scalar(1f))), Scalar(0.5f));
    }

    /// <summary><c>tanh</c>.</summary>
    public OnnxValue Tanh(OnnxValue x) => Node("Tanh", x);

    /// <summary><c>sigmoid</c>.</summary>
    public OnnxValue Sigmoid(OnnxValue x) => Node("Sigmoid", x);

    /// <summary><c>silu</c>, <c>x·sigmoid(x)</c>.</summary>
    public OnnxValue Silu(OnnxValue x) => Node("Mul", x, Node("Sigmoid", x));

    /// <summary><c>exp</c>.</summary>
    public OnnxValue Exp(OnnxValue x) => Node("Exp", x);

    /// <summary><c>softmax</c> along <paramref name="axis"/>.</summary>
    public OnnxValue Softmax(OnnxValue x, long axis) => Node("Softmax", new[] { x }, Attribute("axis", axis));

    /// <summary><c>log_softmax</c> along <paramref name="axis"/>.</summary>
    public OnnxValue LogSoftmax(OnnxValue x, long axis) => Node("LogSoftmax", new[] { x }, Attribute("axis", axis));

    /// <summary>Element-wise sum, broadcast as PyTorch and ONNX both do.</summary>
    public OnnxValue Add(OnnxValue a, OnnxValue b) => Node("Add", a, b);

    /// <summary>Element-wise product, broadcast.</summary>
    public OnnxValue Multiply(OnnxValue a, OnnxValue b) => Node("Mul", a, b);

    /// <summary>Multiplies by a number (computed in float32, as libtorch does for a float tensor).</summary>
    public OnnxValue Scale(OnnxValue x, double factor) => Node("Mul", x, Scalar((float)factor));

    /// <summary>
    /// Standard normal noise of <paramref name="x"/>'s shape (<c>RandomNormalLike</c>): fresh at every run, and not
    /// the numbers libtorch would draw.
    /// </summary>
    public OnnxValue RandnLike(OnnxValue x) => Node("RandomNormalLike", new[] { x }, Attribute("mean", 0f), Attribute("scale", 1f));

    /// <summary><c>reshape(-1, dims…)</c>: the batch dim is inferred, the others given.</summary>
    public OnnxValue Reshape(OnnxValue x, params OnnxDim[] dims) => Node("Reshape", x, ShapeOf(new OnnxDim[] { -1 }.Concat(dims).ToArray()));

    /// <summary><c>flatten(start)</c>: the dims from <paramref name="start"/> on become one.</summary>
    public OnnxValue Flatten(OnnxValue x, int start)
        => start == 1
            ? Node("Flatten", new[] { x }, Attribute("axis", 1L))
            : Node("Reshape", x, Int64s(Enumerable.Repeat(0L, start).Append(-1L).ToArray()));

    /// <summary><c>permute(order)</c>; a transpose is the permutation that swaps two dims.</summary>
    public OnnxValue Permute(OnnxValue x, params long[] order) => Node("Transpose", new[] { x }, Attribute("perm", order));

    /// <summary><c>unsqueeze(axis)</c>.</summary>
    public OnnxValue Unsqueeze(OnnxValue x, long axis) => Node("Unsqueeze", x, Int64s(axis));

    /// <summary><c>squeeze(axis)</c>.</summary>
    public OnnxValue Squeeze(OnnxValue x, long axis) => Node("Squeeze", x, Int64s(axis));

    /// <summary><c>mean(axis, keepdim)</c>.</summary>
    public OnnxValue Mean(OnnxValue x, long axis, bool keepDim)
        => Opset >= 18
            ? Node("ReduceMean", new[] { x, Int64s(axis) }, Attribute("keepdims", keepDim ? 1L : 0L))
            : Node("ReduceMean", new[] { x }, Attribute("axes", new[] { axis }), Attribute("keepdims", keepDim ? 1L : 0L));

    /// <summary><c>select(axis, index)</c>: the slice at <paramref name="index"/> (negative from the end), the axis dropped.</summary>
    public OnnxValue Select(OnnxValue x, long axis, long index) => Node("Gather", new[] { x, Int64Scalar(index) }, Attribute("axis", axis));

    /// <summary><c>narrow(axis, start, length)</c>: the part of a split.</summary>
    public OnnxValue Narrow(OnnxValue x, long axis, OnnxDim start, OnnxDim length)
        => Node("Slice", x, start.ToValue(this), (start + length).ToValue(this), Int64s(axis));

    /// <summary><c>cat(values, axis)</c>.</summary>
    public OnnxValue Concat(long axis, params OnnxValue[] values) => Node("Concat", values, Attribute("axis", axis));

    /// <summary><c>max_pool2d</c> with square windows.</summary>
    public OnnxValue MaxPool2d(OnnxValue x, long kernel, long stride, long padding)
        => Node("MaxPool", new[] { x }, Attribute("kernel_shape", new[] { kernel, kernel }), Attribute("strides", new[] { stride, stride }),
            Attribute("pads", new[] { padding, padding, padding, padding }));

    /// <summary><c>avg_pool2d</c> with square windows; padding counts in the average, as PyTorch's default does.</summary>
    public OnnxValue AvgPool2d(OnnxValue x, long kernel, long stride, long padding)
        => Node("AveragePool", new[] { x }, Attribute("kernel_shape", new[] { kernel, kernel }), Attribute("strides", new[] { stride, stride }),
            Attribute("pads", new[] { padding, padding, padding, padding }), Attribute("count_include_pad", 1L));

    /// <summary>
    /// <c>adaptive_avg_pool2d</c> to <paramref name="height"/> × <paramref name="width"/>: global average pooling for
    /// 1 × 1; otherwise the input's size must be known, and each output cell averages PyTorch's window for it, from
    /// ⌊i·H/h⌋ to ⌈(i+1)·H/h⌉ (one pooling when the sizes divide).
    /// </summary>
    public OnnxValue AdaptiveAvgPool2d(OnnxValue x, long height, long width, long? inputHeight = null, long? inputWidth = null)
    {
        if (height == 1 && width == 1)
            return Node("GlobalAveragePool", x);
        if (inputHeight is not { } h || inputWidth is not { } w)
            throw new ArgumentException("adaptive pooling to a size other than 1 × 1 needs the input's height and width");
        if (h % height == 0 && w % width == 0)
        {
            var (kh, kw) = (h / height, w / width);
            return Node("AveragePool", new[] { x }, Attribute("kernel_shape", new[] { kh, kw }), Attribute("strides", new[] { kh, kw }));
        }

        var rows = new OnnxValue[height];
        for (var i = 0; i < height; i++)
        {
            var cells = new OnnxValue[width];
            for (var j = 0; j < width; j++)
            {
                var (top, bottom) = (i * h / height, ((i + 1) * h + height - 1) / height);
                var (left, right) = (j * w / width, ((j + 1) * w + width - 1) / width);
                var window = Node("Slice", x, Int64s(top, left), Int64s(bottom, right), Int64s(2, 3));
                cells[j] = Opset >= 18
                    ? Node("ReduceMean", new[] { window, Int64s(2, 3) }, Attribute("keepdims", 1L))
                    : Node("ReduceMean", new[] { window }, Attribute("axes", new long[] { 2, 3 }), Attribute("keepdims", 1L));
            }

            rows[i] = Concat(3, cells);
        }

        return Concat(2, rows);
    }

    /// <summary>
    /// <c>interpolate(scale_factor)</c> on <c>[B, C, H, W]</c>: nearest neighbour (PyTorch's legacy <c>nearest</c>:
    /// source index ⌊i / scale⌋) or bilinear without aligned corners (PyTorch's half-pixel centres).
    /// </summary>
    public OnnxValue Upsample(OnnxValue x, long scale, bool bilinear)
    {
        var scales = Floats("scales", new[] { 1f, 1f, scale, scale }, 4);
        var inputs = new[] { x, new OnnxValue(""), scales };
        return bilinear
            ? Node("Resize", inputs, Attribute("mode", "linear"), Attribute("coordinate_transformation_mode", "pytorch_half_pixel"))
            : Node("Resize", inputs, Attribute("mode", "nearest"), Attribute("coordinate_transformation_mode", "asymmetric"), Attribute("nearest_mode", "floor"));
    }

    /// <summary>A shape tensor from sizes, constant or computed.</summary>
    internal OnnxValue ShapeOf(OnnxDim[] dims)
        => dims.All(d => d.IsConstant)
            ? Int64s(dims.Select(d => d.Constant).ToArray())
            : Concat(0, dims.Select(d => d.ToValue(this)).ToArray());
}
