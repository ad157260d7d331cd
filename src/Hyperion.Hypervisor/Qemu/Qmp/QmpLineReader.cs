namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>
/// Splits a byte stream into newline-terminated lines regardless of how reads fragment it.
/// QEMU terminates every QMP message with CRLF; a bare LF is accepted too.
/// </summary>
internal sealed class QmpLineReader(Stream stream, int maxLineBytes)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>
    /// The next line without its terminator, or null at end of stream (an unterminated tail is dropped,
    /// since QEMU only sends whole messages). The memory is valid until the next call.
    /// </summary>
    /// <exception cref="InvalidDataException">A line exceeded the configured maximum.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start + scanned, _end - _start - scanned);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = scanned + newline;
                var line = _buffer.AsMemory(_start, length);
                _start += length + 1;
                if (line.Length > 0 && line.Span[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                return line;
            }

            // Only the unread bytes matter from here on: don't rescan them for a newline next time.
            scanned = _end - _start;
            MakeRoom();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        if (_buffer.Length >= maxLineBytes)
        {
            throw new InvalidDataException($"A QMP message exceeded {maxLineBytes} bytes without a line terminator.");
        }

        Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxLineBytes));
    }
}
