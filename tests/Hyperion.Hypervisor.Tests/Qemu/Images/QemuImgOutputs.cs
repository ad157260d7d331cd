namespace Hyperion.Hypervisor.Tests.Qemu.Images;

/// <summary>Output recorded from qemu-img 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3) on Linux.</summary>
internal static class QemuImgOutputs
{
    /// <summary><c>qemu-img create -f qcow2 base.qcow2 1G; qemu-img info --output=json -U base.qcow2</c></summary>
    public const string PlainQcow2 = """
        {
            "virtual-size": 1073741824,
            "filename": "base.qcow2",
            "cluster-size": 65536,
            "format": "qcow2",
            "actual-size": 200704,
            "format-specific": {
                "type": "qcow2",
                "data": {
                    "compat": "1.1",
                    "compression-type": "zlib",
                    "lazy-refcounts": false,
                    "refcount-bits": 16,
                    "corrupt": false,
                    "extended-l2": false
                }
            },
            "dirty-flag": false
        }
        """;

    /// <summary><c>qemu-img create -f qcow2 -b /tmp/qmprec/base.qcow2 -F qcow2 overlay.qcow2 2G; qemu-img info --output=json -U overlay.qcow2</c></summary>
    public const string Qcow2WithBacking = """
        {
            "backing-filename-format": "qcow2",
            "virtual-size": 2147483648,
            "filename": "overlay.qcow2",
            "cluster-size": 65536,
            "format": "qcow2",
            "actual-size": 200704,
            "format-specific": {
                "type": "qcow2",
                "data": {
                    "compat": "1.1",
                    "compression-type": "zlib",
                    "lazy-refcounts": false,
                    "refcount-bits": 16,
                    "corrupt": false,
                    "extended-l2": false
                }
            },
            "full-backing-filename": "/tmp/qmprec/base.qcow2",
            "backing-filename": "/tmp/qmprec/base.qcow2",
            "dirty-flag": false
        }
        """;

    /// <summary><c>qemu-img create -f qcow2 snap.qcow2 64M; qemu-img snapshot -c before-upgrade snap.qcow2; qemu-img snapshot -c second snap.qcow2; qemu-img info ...</c></summary>
    public const string Qcow2WithSnapshots = """
        {
            "snapshots": [
                {
                    "icount": 0,
                    "vm-clock-nsec": 0,
                    "name": "before-upgrade",
                    "date-sec": 1795432944,
                    "date-nsec": 99489000,
                    "vm-clock-sec": 0,
                    "id": "1",
                    "vm-state-size": 0
                },
                {
                    "icount": 0,
                    "vm-clock-nsec": 0,
                    "name": "second",
                    "date-sec": 1795432944,
                    "date-nsec": 107477000,
                    "vm-clock-sec": 0,
                    "id": "2",
                    "vm-state-size": 0
                }
            ],
            "virtual-size": 67108864,
            "filename": "snap.qcow2",
            "cluster-size": 65536,
            "format": "qcow2",
            "actual-size": 217088,
            "format-specific": {
                "type": "qcow2",
                "data": {
                    "compat": "1.1",
                    "compression-type": "zlib",
                    "lazy-refcounts": false,
                    "refcount-bits": 16,
                    "corrupt": false,
                    "extended-l2": false
                }
            },
            "dirty-flag": false
        }
        """;

    /// <summary><c>qemu-img create -f raw disk.raw 10M; qemu-img info --output=json -U disk.raw</c></summary>
    public const string Raw = """
        {
            "virtual-size": 10485760,
            "filename": "disk.raw",
            "format": "raw",
            "actual-size": 4096,
            "dirty-flag": false
        }
        """;

    /// <summary><c>qemu-img check --output=json snap.qcow2</c></summary>
    public const string CheckClean = """
        {
            "image-end-offset": 524288,
            "total-clusters": 1024,
            "check-errors": 0,
            "filename": "snap.qcow2",
            "format": "qcow2"
        }
        """;

    /// <summary>stderr of <c>qemu-img info --output=json -U nonexist.qcow2</c> (exit 1).</summary>
    public const string MissingFileError = "qemu-img: Could not open 'nonexist.qcow2': Could not open 'nonexist.qcow2': No such file or directory\n";
}
