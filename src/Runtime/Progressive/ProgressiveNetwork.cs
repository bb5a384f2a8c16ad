using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Progressive;

/// <summary>
/// A progressive neural network (Rusu et al. 2016): one column per task. Adding a column freezes every earlier
/// column and adapter (no gradients, eval mode for BatchNorm and Dropout); the new column reads the earlier
/// columns' activations through lateral adapters. State-dict keys: <c>columns.k.*</c>, <c>laterals.k.i.*</c>.
/// </summary>
public sealed class ProgressiveNetwork<TColumn> : nn.Module<Tensor, Tensor>
    where TColumn : nn.Module<Tensor, Tensor>, IProgressiveColumn
{
    private readonly Func<TColumn> _createColumn;
    private readonly ModuleSequence<TColumn> columns = new();
    private readonly ModuleSequence<ModuleSequence<LateralAdapter>> laterals = new();

    /// <summary>Creates an empty network; <paramref name="createColumn"/> builds each new column.</summary>
    public ProgressiveNetwork(Func<TColumn> createColumn)
        : base("ProgressiveNetwork")
    {
        _createColumn = createColumn;
        register_module(nameof(columns), columns);
        register_module(nameof(laterals), laterals);
    }

    /// <summary>The number of columns (tasks) so far.</summary>
    public int ColumnCount => columns.Count;

    /// <summary>The columns, oldest first.</summary>
    public IReadOnlyList<TColumn> Columns => columns.Items;

    /// <summary>Freezes every existing column and adds a new trainable one with its lateral adapters.</summary>
    public TColumn AddColumn()
    {
        foreach (var parameter in parameters())
            parameter.requires_grad = false;
        var column = _createColumn();
        var adapters = new ModuleSequence<LateralAdapter>();
        if (columns.Count > 0)
            foreach (var adapter in column.CreateLateralAdapters(columns.Count))
                adapters.Add(adapter);
        columns.Add(column);
        laterals.Add(adapters);
        ApplyTrainingMode();
        return column;
    }

    /// <summary>The parameters of the newest column and its adapters: the only ones an optimizer should see.</summary>
    public IEnumerable<Parameter> TrainableParameters()
        => columns.Count == 0 ? Enumerable.Empty<Parameter>() : columns[columns.Count - 1].parameters().Concat(laterals[laterals.Count - 1].parameters());

    /// <summary>The number of trainable parameters of the newest column, adapters included.</summary>
    public long TrainableParameterCount => TrainableParameters().Sum(p => p.numel());

    /// <summary>Runs the newest column.</summary>
    public override Tensor forward(Tensor x) => Forward(x, columns.Count - 1);

    /// <summary>Runs column <paramref name="task"/> with its laterals from every earlier column.</summary>
    public Tensor Forward(Tensor x, int task)
    {
        if (task < 0 || task >= columns.Count)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"the network has {columns.Count} column(s)");
        using var scope = NewDisposeScope();
        var inputs = new List<List<Tensor>>();
        Tensor output = x;
        for (var k = 0; k <= task; k++)
        {
            var layerInputs = new List<Tensor>();
            var previous = inputs;
            var adapters = laterals[k];
            Func<int, Tensor, Tensor>? lateral = k == 0 ? null : (i, activation) =>
                activation + adapters[i - 1].call(cat(previous.Select(p => p[i]).ToList(), 1));
            // Frozen columns need no graph; only the column being trained does.
            using (k < columns.Count - 1 ? no_grad() : null)
                output = columns[k].ForwardColumn(x, layerInputs, lateral);
            inputs.Add(layerInputs);
        }

        return scope.MoveToOuter(output);
    }

    /// <inheritdoc/>
    protected override void RegisterComponents()
    {
        // The sequences are registered explicitly in the constructor.
    }

    /// <inheritdoc/>
    public override void train(bool train = true)
    {
        base.train(train);
        ApplyTrainingMode();
    }

    // Frozen columns and adapters always behave as at inference: BatchNorm statistics and dropout stay fixed.
    private void ApplyTrainingMode()
    {
        for (var k = 0; k < columns.Count - 1; k++)
        {
            columns[k].eval();
            laterals[k].eval();
        }
    }
}
