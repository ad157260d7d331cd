using System.CommandLine;
using Hyperion.Host.Ha;

namespace Hyperion;

/// <summary><c>hyperion host ha-heartbeat</c>: the host's datastore heartbeat writer, started (detached) by the agent when HA is on.</summary>
internal static class HostHaHeartbeatCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The agent's state directory", Required = true };
        var command = new Command(HeartbeatProcess.Verb, "Write this host's HA datastore heartbeat (started by the agent; exits when HA is disabled)") { data };
        command.Hidden = true;
        command.SetAction(async (parse, ct) => await HeartbeatMain.RunAsync(parse.GetValue(data)!, ct));
        return command;
    }
}
