using Hyperion.Center.Paging;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;
using Hyperion.Web.Services;
using Microsoft.AspNetCore.Components.Web.Virtualization;

namespace Hyperion.Web.Live;

/// <summary>
/// Feeds a <see cref="Virtualize{TItem}"/> from a Center list paged by cursor: pages are fetched in order as the user
/// scrolls (a keyset page cannot be fetched by offset) and kept, so scrolling back costs nothing. One instance per
/// filter: a new filter is a new source.
/// </summary>
public sealed class CursorPagedSource<T>
{
    private readonly Func<PageRequest, CancellationToken, Task<PageDto<T>>> _fetch;
    private readonly int _pageSize;
    private readonly List<T> _items = [];
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;
    private string? _next;
    private bool _started;
    private long _total;

    /// <param name="fetch">Fetches one page as the signed-in user (through <see cref="CenterSession"/>).</param>
    public CursorPagedSource(Func<PageRequest, CancellationToken, Task<PageDto<T>>> fetch, int pageSize = 100)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, PageRequest.MaxLimit);
        _fetch = fetch;
        _pageSize = pageSize;
    }

    /// <summary>Why the last fetch failed (the Center's message), null when it did not.</summary>
    public string? Error { get; private set; }

    /// <summary>How many items match, as the Center last counted them; null before the first page.</summary>
    public long? Total => _started ? _total : null;

    /// <summary>Raised (from the fetching thread) when <see cref="Error"/> or <see cref="Total"/> changed.</summary>
    public event Action? Changed;

    /// <summary>The <see cref="Virtualize{TItem}.ItemsProvider"/>.</summary>
    public async ValueTask<ItemsProviderResult<T>> ProvideAsync(ItemsProviderRequest request)
    {
        // One fetch at a time, in order: each request waits for the one before it (pages chain by cursor).
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
        {
            previous = _tail;
            _tail = done.Task;
        }

        try
        {
            await previous.WaitAsync(request.CancellationToken);
            var wanted = request.StartIndex + request.Count;
            while (_items.Count < wanted && (!_started || _next is not null))
            {
                PageDto<T> page;
                try
                {
                    page = await _fetch(new PageRequest(_pageSize, _next), request.CancellationToken);
                }
                catch (DomainException ex)
                {
                    Error = CenterSession.Describe(ex);
                    Changed?.Invoke();
                    break;
                }

                _items.AddRange(page.Items);
                _next = page.Next;
                _total = page.Next is null ? _items.Count : Math.Max(page.Total, _items.Count);
                var first = !_started;
                _started = true;
                if (first || Error is not null)
                {
                    Error = null;
                    Changed?.Invoke();
                }
            }

            var start = Math.Min(request.StartIndex, _items.Count);
            var count = Math.Min(request.Count, _items.Count - start);
            return new ItemsProviderResult<T>(_items.GetRange(start, count), (int)Math.Min(_total, int.MaxValue));
        }
        finally
        {
            // A request cancelled while waiting releases its turn only when the one before it is done.
            _ = previous.ContinueWith(_ => done.TrySetResult(), TaskScheduler.Default);
        }
    }
}
