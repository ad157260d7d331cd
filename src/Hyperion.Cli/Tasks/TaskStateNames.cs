namespace Hyperion.Cli.Tasks;

/// <summary>The states a Center task reports (<c>TaskDto.State</c>), as the wire spells them.</summary>
internal static class TaskStateNames
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Success = "success";
    public const string Error = "error";
    public const string Cancelled = "cancelled";

    public static bool IsFinished(string state) => state is Success or Error or Cancelled;
}
