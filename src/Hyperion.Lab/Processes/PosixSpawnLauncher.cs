using System.Collections;
using System.Runtime.InteropServices;
using Hyperion.Hypervisor.Processes;

namespace Hyperion.Lab.Processes;

/// <summary>
/// <see cref="IDetachedProcessLauncher"/> over glibc's <c>posix_spawnp</c>: <c>POSIX_SPAWN_SETSID</c> puts the child in
/// its own session (no controlling terminal, no signals from the starter's terminal), file actions point its stdio at
/// /dev/null and the log, and the signals .NET ignores or handles go back to their defaults. .NET's
/// <see cref="System.Diagnostics.Process"/> cannot do this: it only redirects to pipes, which die with the starter.
/// No shell is involved; the argv is passed as is.
/// </summary>
public sealed partial class PosixSpawnLauncher : IDetachedProcessLauncher
{
    // glibc (x86-64/aarch64) values.
    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const short PosixSpawnSetSid = 0x80;
    private const int OpenReadOnly = 0;
    private const int OpenWriteOnly = 1;
    private const int OpenCreate = 0x40;
    private const int OpenAppend = 0x400;
    private const int OwnerReadWrite = 0x180; // 0600

    // posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128 on glibc; room to spare.
    private const int OpaqueSize = 1024;

    /// <summary>SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD: reset to default in the child.</summary>
    private static readonly int[] DefaultSignals = [1, 2, 3, 13, 15, 17];

    public unsafe int Start(ProcessSpec spec, string logFile)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(logFile);
        var allocations = new List<IntPtr>();
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var signalDefaults = NativeMemory.AllocZeroed(OpaqueSize);
        var signalMask = NativeMemory.AllocZeroed(OpaqueSize);
        var actionsReady = false;
        var attributesReady = false;
        try
        {
            Check(FileActionsInit(actions), "posix_spawn_file_actions_init");
            actionsReady = true;
            Check(FileActionsAddOpen(actions, 0, "/dev/null", OpenReadOnly, 0), "posix_spawn_file_actions_addopen");
            Check(FileActionsAddOpen(actions, 1, logFile, OpenWriteOnly | OpenCreate | OpenAppend, OwnerReadWrite), "posix_spawn_file_actions_addopen");
            Check(FileActionsAddDup2(actions, 1, 2), "posix_spawn_file_actions_adddup2");
            if (spec.WorkingDirectory is not null)
            {
                Check(FileActionsAddChdir(actions, spec.WorkingDirectory), "posix_spawn_file_actions_addchdir_np");
            }

            Check(AttrInit(attributes), "posix_spawnattr_init");
            attributesReady = true;
            CheckErrno(SignalEmptySet(signalMask), "sigemptyset");
            CheckErrno(SignalEmptySet(signalDefaults), "sigemptyset");
            foreach (var signal in DefaultSignals)
            {
                CheckErrno(SignalAddSet(signalDefaults, signal), "sigaddset");
            }

            Check(AttrSetSigMask(attributes, signalMask), "posix_spawnattr_setsigmask");
            Check(AttrSetSigDefault(attributes, signalDefaults), "posix_spawnattr_setsigdefault");
            Check(AttrSetFlags(attributes, PosixSpawnSetSid | PosixSpawnSetSigDef | PosixSpawnSetSigMask), "posix_spawnattr_setflags");

            var argv = NullTerminated([spec.FileName, .. spec.Arguments], allocations);
            var envp = NullTerminated(Environment(spec), allocations);
            var error = Spawn(out var pid, spec.FileName, actions, attributes, argv, envp);
            if (error != 0)
            {
                throw new LabException($"cannot start {spec.FileName}: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            return pid;
        }
        finally
        {
            if (actionsReady)
            {
                _ = FileActionsDestroy(actions);
            }

            if (attributesReady)
            {
                _ = AttrDestroy(attributes);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signalDefaults);
            NativeMemory.Free(signalMask);
            foreach (var allocation in allocations)
            {
                Marshal.FreeCoTaskMem(allocation);
            }
        }
    }

    private static List<string> Environment(ProcessSpec spec)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        foreach (var (key, value) in spec.Environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return variables.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }

    /// <summary>A native <c>char*[]</c> ending in NULL; every block goes into <paramref name="allocations"/>.</summary>
    private static unsafe IntPtr* NullTerminated(List<string> items, List<IntPtr> allocations)
    {
        var array = (IntPtr*)Marshal.AllocCoTaskMem(IntPtr.Size * (items.Count + 1));
        allocations.Add((IntPtr)array);
        for (var i = 0; i < items.Count; i++)
        {
            var item = Marshal.StringToCoTaskMemUTF8(items[i]);
            allocations.Add(item);
            array[i] = item;
        }

        array[items.Count] = IntPtr.Zero;
        return array;
    }

    /// <summary>For calls that return -1 and set errno (the sigset functions), unlike posix_spawn's which return the error.</summary>
    private static void CheckErrno(int result, string call)
    {
        if (result != 0)
        {
            throw new LabException($"{call} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new LabException($"{call} failed: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Spawn(out int pid, string file, void* fileActions, void* attributes, IntPtr* argv, IntPtr* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static unsafe partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static unsafe partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int FileActionsAddOpen(void* actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static unsafe partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int FileActionsAddChdir(void* actions, string path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static unsafe partial int AttrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static unsafe partial int AttrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static unsafe partial int AttrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static unsafe partial int AttrSetSigMask(void* attributes, void* mask);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static unsafe partial int AttrSetSigDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
    private static unsafe partial int SignalEmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigaddset", SetLastError = true)]
    private static unsafe partial int SignalAddSet(void* set, int signal);
}
