namespace Hyperion.Cli.Api;

/// <summary>Bytes of a VM's serial log and the offset to ask for next.</summary>
public sealed record SerialConsoleChunk(ReadOnlyMemory<byte> Data, long NextOffset);
