using Disentangle.Solvers;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>Running means of the outer loss and the inner-solver diagnostics between two log lines.</summary>
internal sealed class StepStatistics
{
    private int _steps, _problems, _converged;
    private double _loss, _support, _epochs, _gap;

    /// <summary>Adds one step's outer loss and inner solutions.</summary>
    public void Add(double loss, InnerSolution[] solutions)
    {
        _steps++;
        _loss += loss;
        foreach (var s in solutions)
        {
            _problems++;
            _support += s.Support.Length;
            _epochs += s.Report.Epochs;
            _gap = Math.Max(_gap, s.Report.DualityGap);
            if (s.Report.Converged) _converged++;
        }
    }

    /// <summary>The log entry of the steps added so far.</summary>
    public TrainLogEntry Entry(long step, double rate) => new(step, _loss / Math.Max(_steps, 1), _support / Math.Max(_problems, 1),
        _epochs / Math.Max(_problems, 1), _gap, _converged / (double)Math.Max(_problems, 1), rate);
}
