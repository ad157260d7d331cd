namespace Hyperion.Host.Images;

/// <summary>A kernel-boot image: kernel, initrd and the base command line it wants.</summary>
public sealed record BootImage(string Name, string Kernel, string Initrd, string BaseCmdline);
