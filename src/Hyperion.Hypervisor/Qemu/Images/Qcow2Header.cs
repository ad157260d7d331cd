using System.Buffers.Binary;
using System.Text;

namespace Hyperion.Hypervisor.Qemu.Images;

/// <summary>
/// The few fields of a qcow2 header the host needs often and cheaply (no qemu-img process, works while a VM holds the
/// image lock): the virtual size and the backing file as recorded. Layout from QEMU's docs/interop/qcow2.txt: magic
/// <c>QFI\xfb</c>, version, backing_file_offset (u64 at 8), backing_file_size (u32 at 16), size (u64 at 24), big-endian.
/// </summary>
/// <param name="BackingFile">As recorded in the image (relative paths are relative to the image's folder); null if none.</param>
public sealed record Qcow2Header(long VirtualSizeBytes, string? BackingFile)
{
    private const uint Magic = 0x514649fb;
    private const int HeaderBytes = 32;

    /// <summary>Longest backing file name QEMU writes (it refuses more than 1023 bytes).</summary>
    private const int MaxBackingName = 1023;

    /// <exception cref="InvalidDataException">Not a qcow2 image, or a header that does not make sense.</exception>
    public static Qcow2Header Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        Span<byte> header = stackalloc byte[HeaderBytes];
        file.ReadExactly(header);
        if (BinaryPrimitives.ReadUInt32BigEndian(header) != Magic)
        {
            throw new InvalidDataException($"{path} is not a qcow2 image");
        }

        var backingOffset = BinaryPrimitives.ReadInt64BigEndian(header[8..]);
        var backingLength = BinaryPrimitives.ReadInt32BigEndian(header[16..]);
        var size = BinaryPrimitives.ReadInt64BigEndian(header[24..]);
        if (size < 0 || backingOffset < 0 || backingLength is < 0 or > MaxBackingName)
        {
            throw new InvalidDataException($"{path} has a damaged qcow2 header");
        }

        if (backingOffset == 0 || backingLength == 0)
        {
            return new Qcow2Header(size, null);
        }

        var name = new byte[backingLength];
        file.Position = backingOffset;
        file.ReadExactly(name);
        return new Qcow2Header(size, Encoding.UTF8.GetString(name));
    }

    /// <summary>
    /// The image and every file below it, top first (backing paths resolved against each image's folder). Stops at a
    /// non-qcow2 (raw) image. Refuses loops and chains deeper than <paramref name="maxDepth"/>.
    /// </summary>
    public static IReadOnlyList<string> Chain(string path, int maxDepth = 64)
    {
        var chain = new List<string> { Path.GetFullPath(path) };
        while (true)
        {
            var top = chain[^1];
            if (!IsQcow2(top) || Read(top).BackingFile is not { } backing)
            {
                return chain;
            }

            var next = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(top)!, backing));
            if (chain.Contains(next, StringComparer.Ordinal) || chain.Count >= maxDepth)
            {
                throw new InvalidDataException($"the backing chain of {path} loops or is deeper than {maxDepth}");
            }

            chain.Add(next);
        }
    }

    /// <summary>True when the file starts with the qcow2 magic.</summary>
    public static bool IsQcow2(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        Span<byte> magic = stackalloc byte[4];
        return file.Read(magic) == 4 && BinaryPrimitives.ReadUInt32BigEndian(magic) == Magic;
    }
}
