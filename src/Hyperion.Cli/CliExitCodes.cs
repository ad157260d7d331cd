namespace Hyperion.Cli;

/// <summary>The CLI's exit codes; scripts depend on them.</summary>
public static class CliExitCodes
{
    public const int Success = 0;

    /// <summary>The server refused the request (problem details were printed).</summary>
    public const int ServerRefused = 1;

    /// <summary>Bad command line: parse errors or invalid option values.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached, or its certificate was not trusted.</summary>
    public const int Connection = 3;

    /// <summary>Ctrl-C while waiting for a Center task: the task goes on without us (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
