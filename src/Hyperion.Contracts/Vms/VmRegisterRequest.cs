namespace Hyperion.Contracts.Vms;

/// <summary><c>POST /api/vms/register</c>: adopt an existing VM folder (path relative to the datastore).</summary>
public sealed record VmRegisterRequest(string Datastore, string Path);
