using System.Text.Json;

namespace Hyperion.Hypervisor.Qemu.GuestAgent;

/// <summary>
/// Frames the agent's answers: JSON objects, one after another, that may be preceded by stale bytes (a previous
/// client's unread answers, a half-written answer from before a guest reset). A 0xFF byte — the sentinel qemu-ga
/// writes before a <c>guest-sync-delimited</c> answer, never valid inside UTF-8 JSON — resets the framing.
/// </summary>
internal sealed class GuestAgentReader(Stream stream, int maxObjectBytes)
{
    public const byte Sentinel = 0xFF;
    private readonly byte[] _buffer = new byte[Math.Max(4096, maxObjectBytes)];
    private int _start;
    private int _end;

    /// <summary>Discards everything up to and including the next 0xFF.</summary>
    public async Task SkipToSentinelAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, Sentinel, _start, _end - _start);
            if (at >= 0)
            {
                _start = at + 1;
                return;
            }

            _start = _end = 0;
            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Reads the next complete JSON object; bytes before its opening brace are skipped, a 0xFF inside it starts over.</summary>
    public async Task<JsonDocument> ReadObjectAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        var depth = 0;
        var inString = false;
        var escaped = false;
        while (true)
        {
            for (var i = _start + scanned; i < _end; i++, scanned++)
            {
                var b = _buffer[i];
                if (b == Sentinel)
                {
                    // The stream was resynchronised mid-object: what came before is stale.
                    _start = i + 1;
                    (scanned, depth, inString, escaped) = (-1, 0, false, false);
                    continue;
                }

                if (depth == 0)
                {
                    if (b != (byte)'{')
                    {
                        _start = i + 1;
                        scanned = -1;
                        continue;
                    }

                    depth = 1;
                    continue;
                }

                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (b == (byte)'\\')
                    {
                        escaped = true;
                    }
                    else if (b == (byte)'"')
                    {
                        inString = false;
                    }

                    continue;
                }

                switch (b)
                {
                    case (byte)'"':
                        inString = true;
                        break;
                    case (byte)'{' or (byte)'[':
                        depth++;
                        break;
                    case (byte)'}' or (byte)']':
                        depth--;
                        if (depth == 0)
                        {
                            var length = i + 1 - _start;
                            var json = _buffer.AsMemory(_start, length);
                            _start = i + 1;
                            try
                            {
                                return JsonDocument.Parse(json.ToArray());
                            }
                            catch (JsonException ex)
                            {
                                throw new GuestAgentException($"the guest agent sent malformed JSON: {ex.Message}", ex);
                            }
                        }

                        break;
                }
            }

            if (_end - _start >= _buffer.Length)
            {
                throw new GuestAgentException($"the guest agent sent an answer longer than {_buffer.Length} bytes");
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new GuestAgentException("the guest agent channel was closed");
        }

        _end += read;
    }
}
