// The host agent drives QEMU/KVM, sockets and /proc: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
