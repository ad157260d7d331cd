using Hyperion.Domain.Tasks;

namespace Hyperion.Domain.Tests.Tasks;

public sealed class TaskIdTests
{
    [Fact]
    public void FromNumber_Positive_FormatsAndParses()
    {
        var id = TaskId.FromNumber(77);

        Assert.Equal("task-77", id.Value);
        Assert.Equal(77, id.Number);
        Assert.True(TaskId.TryParse("task-77", out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("task-")]
    [InlineData("task-0")]
    [InlineData("task-07")]
    [InlineData("vm-7")]
    [InlineData("task-7x")]
    public void TryParse_Malformed_ReturnsFalse(string? text)
    {
        Assert.False(TaskId.TryParse(text, out _));
    }
}
