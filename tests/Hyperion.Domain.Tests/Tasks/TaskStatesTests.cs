using Hyperion.Domain.Tasks;

namespace Hyperion.Domain.Tests.Tasks;

public sealed class TaskStatesTests
{
    [Theory]
    [InlineData(TaskState.Queued, TaskState.Running, true)]
    [InlineData(TaskState.Queued, TaskState.Cancelled, true)]
    [InlineData(TaskState.Queued, TaskState.Error, true)]
    [InlineData(TaskState.Queued, TaskState.Success, false)]
    [InlineData(TaskState.Running, TaskState.Success, true)]
    [InlineData(TaskState.Running, TaskState.Error, true)]
    [InlineData(TaskState.Running, TaskState.Cancelled, true)]
    [InlineData(TaskState.Running, TaskState.Queued, false)]
    [InlineData(TaskState.Success, TaskState.Error, false)]
    [InlineData(TaskState.Error, TaskState.Running, false)]
    [InlineData(TaskState.Cancelled, TaskState.Running, false)]
    public void CanMove_Pair_MatchesLifecycle(TaskState from, TaskState to, bool expected)
    {
        Assert.Equal(expected, TaskStates.CanMove(from, to));
    }

    [Fact]
    public void IsTerminal_EachState_OnlyEndStates()
    {
        Assert.Equal(
            [TaskState.Success, TaskState.Error, TaskState.Cancelled],
            Enum.GetValues<TaskState>().Where(TaskStates.IsTerminal));
    }
}
