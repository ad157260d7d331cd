using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Lab.Planning;

namespace Hyperion.Lab.State;

/// <summary>Reads and atomically writes <c>DIR/state.json</c> (mode 0600).</summary>
public static class LabStateStore
{
    internal const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The lab recorded in <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="LabException">state.json exists but cannot be read.</exception>
    public static LabState? Load(string directory)
    {
        var path = LabPaths.StateFile(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LabState>(File.ReadAllText(path), JsonDefaults.Options)
                ?? throw new LabException($"{path} is empty");
        }
        catch (JsonException ex)
        {
            throw new LabException($"{path} is not a lab state file: {ex.Message}", ex);
        }
    }

    /// <summary>Writes <paramref name="state"/> to its directory's state.json: temp file (0600) then rename, so a reader never sees half a file.</summary>
    public static void Save(LabState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var path = LabPaths.StateFile(state.Directory);
        var temp = path + ".tmp";
        WriteOwnerOnly(temp, JsonSerializer.Serialize(state, JsonDefaults.Indented));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes a file readable by its owner only, created with that mode (never briefly wider).</summary>
    internal static void WriteOwnerOnly(string path, string text)
    {
        File.Delete(path);
        using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
