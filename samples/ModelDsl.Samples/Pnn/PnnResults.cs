using System.Collections.Generic;

namespace ModelDsl.Samples.Pnn;

/// <summary>One task's line in the table printed after a task: the accuracy now against the one recorded when it was trained.</summary>
/// <param name="Task">The task's name.</param>
/// <param name="IsNew">True for the task just trained.</param>
/// <param name="ProgressiveRecorded">The progressive network's test accuracy right after the task was trained.</param>
/// <param name="ProgressiveNow">Its test accuracy now.</param>
/// <param name="ProgressiveUnchanged">True when the task's logits, predictions and accuracy are bit-for-bit those recorded.</param>
/// <param name="ProgressiveMaxDifference">The largest absolute logit difference from the recorded ones.</param>
/// <param name="FineTuningRecorded">The fine-tuning baseline's test accuracy right after the task was trained.</param>
/// <param name="FineTuningNow">Its test accuracy now.</param>
/// <param name="FineTuningUnchanged">True when its answers on the task are bit-for-bit those recorded.</param>
public sealed record TaskAccuracyRow(
    string Task,
    bool IsNew,
    double ProgressiveRecorded,
    double ProgressiveNow,
    bool ProgressiveUnchanged,
    double ProgressiveMaxDifference,
    double FineTuningRecorded,
    double FineTuningNow,
    bool FineTuningUnchanged);

/// <summary>Everything known after training task <paramref name="TaskIndex"/>.</summary>
public sealed record AfterTaskReport(int TaskIndex, string TaskName, int Columns, IReadOnlyList<TaskAccuracyRow> Rows);

/// <summary>
/// Transfer to one task: the progressive network's column(s) for it against a fresh single column trained on the
/// same task, from the same initial weights, on the same batches, for the same steps.
/// </summary>
/// <param name="Task">The task's name.</param>
/// <param name="ColumnIndexes">The columns the network grew for this task (the last one answers for it).</param>
/// <param name="ProgressiveAccuracy">Test accuracy of the task's column.</param>
/// <param name="FreshAccuracy">Test accuracy of the fresh column.</param>
/// <param name="ProgressiveStepsToThreshold">Steps (over all the task's columns) until the validation threshold was first reached, or null.</param>
/// <param name="FreshStepsToThreshold">The same for the fresh column.</param>
/// <param name="ProgressiveStepsRun">Steps the progressive network trained on this task (all its columns).</param>
/// <param name="TrainableParameters">TrainableParameterCount (column and adapters) summed over the columns added for this task.</param>
/// <param name="FreshParameters">Parameters of a single fresh column.</param>
/// <param name="NetworkParameters">Every parameter of the progressive network after this task.</param>
public sealed record TransferRow(
    string Task,
    IReadOnlyList<int> ColumnIndexes,
    double ProgressiveAccuracy,
    double FreshAccuracy,
    int? ProgressiveStepsToThreshold,
    int? FreshStepsToThreshold,
    int ProgressiveStepsRun,
    long TrainableParameters,
    long FreshParameters,
    long NetworkParameters);

/// <summary>A column the network grew because a task's validation accuracy plateaued.</summary>
public sealed record GrowthEvent(string Task, int Column, int AtStep, double ValidationAccuracy);
