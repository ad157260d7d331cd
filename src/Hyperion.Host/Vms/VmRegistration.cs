namespace Hyperion.Host.Vms;

/// <summary>One line of the host's inventory: which VM folder on which datastore has which id.</summary>
public sealed record VmRegistration(string Id, string Datastore, string Folder);
