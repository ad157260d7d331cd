using Hyperion.Center.Authorization;
using Hyperion.Center.Metrics;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Metrics;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Center.Tests.Metrics;

/// <summary>
/// Rollups, retention and queries against a real database, run per provider by a derived class. The PostgreSQL
/// database is shared by a class's tests, so each test uses its own host and asserts only on its own rows.
/// </summary>
public abstract class MetricsStoreTests : IAsyncLifetime
{
    /// <summary>Aligned to every bucket width (5 minutes, 1 hour).</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly MetricsOptions _options = new();
    private CenterDbContextFactory? _factory;
    private AuthenticatedUser _admin = null!;

    protected static CancellationToken Ct => CancellationToken.None;

    private CenterDbContextFactory Factory => _factory ?? throw new InvalidOperationException("not initialized");

    /// <summary>The database this test runs against (possibly shared with the class's other tests); not yet migrated.</summary>
    protected abstract Task<CenterDatabaseOptions> DatabaseAsync(CancellationToken cancellationToken);

    public async Task InitializeAsync()
    {
        var options = await DatabaseAsync(Ct);
        await CenterDatabase.MigrateAsync(options, Ct);
        _factory = new CenterDbContextFactory(options);
        await using var db = Factory.CreateDbContext();
        await AdministratorAccount.EnsureAsync(db, "admin-password", _time, Ct);
        var admin = await db.Users.SingleAsync(u => u.Name == AdministratorAccount.UserName, Ct);
        _admin = new AuthenticatedUser(admin.Id, admin.Name);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReconcileAsync_FiveMinutesOfRealtime_AverageMinMaxCount()
    {
        var host = await AddHostAsync();
        await AddRealtimeAsync(host, MetricCounters.CpuUsage, Enumerable.Range(0, 15).Select(i => (T0.AddSeconds(20 * i), (double)i)));
        _time.SetUtcNow(T0.AddMinutes(5));

        await RollupAsync();

        var row = Assert.Single(await RowsAsync(host, MetricLevel.FiveMinutes));
        Assert.Equal((T0, 7.0, 0.0, 14.0, 15), (row.Time, row.Value, row.Min, row.Max, row.SampleCount));
    }

    [Fact]
    public async Task ReconcileAsync_BucketNotEnded_NothingRolledUp()
    {
        var host = await AddHostAsync();
        await AddRealtimeAsync(host, MetricCounters.CpuUsage, [(T0, 1), (T0.AddMinutes(1), 2)]);
        _time.SetUtcNow(T0.AddMinutes(4));

        await RollupAsync();

        Assert.Empty(await RowsAsync(host, MetricLevel.FiveMinutes));
    }

    [Fact]
    public async Task ReconcileAsync_RunAgainThenLateSample_IdempotentThenRecomputed()
    {
        var host = await AddHostAsync();
        await AddRealtimeAsync(host, MetricCounters.NetReceived, [(T0, 100), (T0.AddMinutes(1), 300)]);
        _time.SetUtcNow(T0.AddMinutes(6));
        await RollupAsync();
        var first = Assert.Single(await RowsAsync(host, MetricLevel.FiveMinutes));

        await RollupAsync();
        var again = Assert.Single(await RowsAsync(host, MetricLevel.FiveMinutes));
        await AddRealtimeAsync(host, MetricCounters.NetReceived, [(T0.AddMinutes(4), 800)]);
        await RollupAsync();
        var late = Assert.Single(await RowsAsync(host, MetricLevel.FiveMinutes));

        Assert.Equal((200.0, 2), (first.Value, first.SampleCount));
        Assert.Equal((first.Value, first.SampleCount), (again.Value, again.SampleCount));
        Assert.Equal((400.0, 100.0, 800.0, 3), (late.Value, late.Min, late.Max, late.SampleCount));
    }

    [Fact]
    public async Task ReconcileAsync_HourOfFiveMinuteValues_WeightedHourlyValue()
    {
        var host = await AddHostAsync();
        await using (var db = Factory.CreateDbContext())
        {
            for (var i = 0; i < 12; i++)
            {
                // Eleven buckets of 15 samples averaging 10 (5–15), one of 5 samples averaging 70 (60–80).
                var (average, min, max, count) = i == 11 ? (70.0, 60.0, 80.0, 5) : (10.0, 5.0, 15.0, 15);
                db.MetricSamples.Add(new MetricSampleRecord
                {
                    ObjectId = host, Counter = MetricCounters.CpuUsage, Level = MetricLevel.FiveMinutes, Time = T0.AddMinutes(5 * i),
                    Value = average, Min = min, Max = max, SampleCount = count,
                });
            }

            await db.SaveChangesAsync(Ct);
        }

        _time.SetUtcNow(T0.AddHours(1).AddSeconds(1));
        await RollupAsync();

        var hour = Assert.Single(await RowsAsync(host, MetricLevel.OneHour));
        Assert.Equal((T0, 5.0, 80.0, 170), (hour.Time, hour.Min, hour.Max, hour.SampleCount));
        Assert.Equal(((11 * 15 * 10.0) + (5 * 70.0)) / 170, hour.Value, precision: 9);
    }

    [Fact]
    public async Task ReconcileAsync_OlderThanRetention_Pruned()
    {
        var host = await AddHostAsync();
        var now = T0.AddDays(2);
        await AddRealtimeAsync(host, MetricCounters.MemUsage, [(now.AddMinutes(-61), 1), (now.AddMinutes(-59), 2)]);
        await using (var db = Factory.CreateDbContext())
        {
            db.MetricSamples.Add(new MetricSampleRecord { ObjectId = host, Counter = MetricCounters.MemUsage, Level = MetricLevel.FiveMinutes, Time = now.AddHours(-25), Value = 1, SampleCount = 1 });
            db.MetricSamples.Add(new MetricSampleRecord { ObjectId = host, Counter = MetricCounters.MemUsage, Level = MetricLevel.OneHour, Time = now.AddDays(-31), Value = 1, SampleCount = 1 });
            db.MetricSamples.Add(new MetricSampleRecord { ObjectId = host, Counter = MetricCounters.MemUsage, Level = MetricLevel.OneHour, Time = now.AddDays(-29), Value = 1, SampleCount = 1 });
            await db.SaveChangesAsync(Ct);
        }

        _time.SetUtcNow(now);
        await RollupAsync();

        Assert.Equal([now.AddMinutes(-59)], (await RowsAsync(host, MetricLevel.Realtime)).Select(r => r.Time));
        // The surviving realtime sample was rolled up; the 25-hour-old 5-minute value is gone.
        Assert.Equal([MetricBuckets.Start(now.AddMinutes(-59), TimeSpan.FromMinutes(5))], (await RowsAsync(host, MetricLevel.FiveMinutes)).Select(r => r.Time));
        var hours = (await RowsAsync(host, MetricLevel.OneHour)).Select(r => r.Time).ToList();
        Assert.Contains(now.AddDays(-29), hours);
        Assert.DoesNotContain(now.AddDays(-31), hours);
    }

    [Fact]
    public async Task QueryAsync_RealtimeAllCounters_SeriesPerCounterOldestFirst()
    {
        var host = await AddHostAsync();
        await AddRealtimeAsync(host, MetricCounters.CpuUsage, [(T0.AddSeconds(40), 3), (T0, 1), (T0.AddSeconds(20), 2)]);
        await AddRealtimeAsync(host, MetricCounters.NetReceived, [(T0, 1000)]);
        _time.SetUtcNow(T0.AddMinutes(1));

        var result = await QueryAsync(host.Value, null, null);
        var one = await QueryAsync(host.Value, MetricCounters.CpuUsage, "realtime", from: T0.AddSeconds(10));

        Assert.Equal("realtime", result.Interval);
        Assert.Equal([MetricCounters.CpuUsage, MetricCounters.NetReceived], result.Series.Select(s => s.Counter));
        Assert.Equal([1.0, 2, 3], result.Series[0].Points.Select(p => p.Value));
        Assert.Equal(MetricCounters.Percent, result.Series[0].Unit);
        Assert.Equal(MetricCounters.BytesPerSecond, result.Series[1].Unit);
        Assert.Equal([T0.AddSeconds(20), T0.AddSeconds(40)], Assert.Single(one.Series).Points.Select(p => p.Time));
        Assert.All(one.Series[0].Points, p => Assert.Null(p.Min));
    }

    [Fact]
    public async Task QueryAsync_FiveMinuteCounterWithoutValues_EmptySeriesWithUnit()
    {
        var vm = await AddVmAsync(await AddHostAsync());
        _time.SetUtcNow(T0.AddHours(2));

        var result = await QueryAsync(vm.Value, MetricCounters.MemConsumed, "5m");

        var series = Assert.Single(result.Series);
        Assert.Equal((MetricCounters.MemConsumed, MetricCounters.Bytes), (series.Counter, series.Unit));
        Assert.Empty(series.Points);
        Assert.Equal(T0.AddHours(2) - TimeSpan.FromDays(1), result.From);
    }

    [Theory]
    [InlineData(null, "cpu.usage", "2m", ErrorCodes.MetricsInvalidInterval)]
    [InlineData(null, "cpu.bogus", "realtime", ErrorCodes.MetricsUnknownCounter)]
    [InlineData("vm-999999", "cpu.usage", "realtime", ErrorCodes.InventoryNotFound)]
    [InlineData("not-an-id", "cpu.usage", "realtime", ErrorCodes.InventoryNotFound)]
    [InlineData("", "cpu.usage", "realtime", ErrorCodes.InvalidArgument)]
    public async Task QueryAsync_BadInput_StableCode(string? objectId, string counter, string interval, string code)
    {
        var host = await AddHostAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => QueryAsync(objectId ?? host.Value, counter, interval));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task QueryAsync_FromAfterTo_InvalidArgument()
    {
        var host = await AddHostAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => QueryAsync(host.Value, null, null, from: T0, to: T0.AddSeconds(-1)));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task QueryAsync_UserWithoutSystemView_Forbidden()
    {
        var host = await AddHostAsync();
        await using var db = Factory.CreateDbContext();
        var service = new MetricsService(db, new AccessControl(db), _options, _time);

        var error = await Assert.ThrowsAsync<DomainException>(() => service.QueryAsync(new AuthenticatedUser(-1, "nobody"), host.Value, null, null, null, null, Ct));

        Assert.Equal(ErrorCodes.Forbidden, error.Code);
    }

    private async Task RollupAsync()
    {
        using var rollup = new MetricsRollup(Factory, _options, _time, NullLogger<MetricsRollup>.Instance);
        await rollup.ReconcileAsync(Ct);
    }

    private async Task<MetricsQueryResultDto> QueryAsync(string objectId, string? counter, string? interval, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        await using var db = Factory.CreateDbContext();
        return await new MetricsService(db, new AccessControl(db), _options, _time).QueryAsync(_admin, objectId, counter, interval, from, to, Ct);
    }

    private async Task AddRealtimeAsync(InventoryId objectId, string counter, IEnumerable<(DateTimeOffset Time, double Value)> values)
    {
        await using var db = Factory.CreateDbContext();
        db.MetricSamples.AddRange(values.Select(v => new MetricSampleRecord
        {
            ObjectId = objectId, Counter = counter, Level = MetricLevel.Realtime, Time = v.Time, Value = v.Value, SampleCount = 1,
        }));
        await db.SaveChangesAsync(Ct);
    }

    private async Task<List<MetricSampleRecord>> RowsAsync(InventoryId objectId, MetricLevel level)
    {
        await using var db = Factory.CreateDbContext();
        return await db.MetricSamples.AsNoTracking().Where(m => m.ObjectId == objectId && m.Level == level).OrderBy(m => m.Time).ToListAsync(Ct);
    }

    /// <summary>A standalone host directly in the root folder (enough for ancestry and permissions), with a unique address.</summary>
    private async Task<InventoryId> AddHostAsync()
    {
        await using var db = Factory.CreateDbContext();
        var host = new HostRecord
        {
            Id = await db.AllocateIdAsync(InventoryObjectKind.Host, Ct),
            Address = $"h-{Guid.NewGuid():N}",
            Port = 443,
            CertificateSha256 = new string('a', 64),
            ConnectionState = HostConnectionState.Connected,
            FolderId = InventoryId.RootFolder,
        };
        db.Hosts.Add(host);
        await db.SaveChangesAsync(Ct);
        return host.Id;
    }

    private async Task<InventoryId> AddVmAsync(InventoryId hostId)
    {
        await using var db = Factory.CreateDbContext();
        var vm = new VmRecord
        {
            Id = await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct),
            Name = $"vm-{Guid.NewGuid():N}",
            FolderId = InventoryId.RootFolder,
            HostId = hostId,
            Uuid = Guid.NewGuid(),
            Cpus = 1,
            MemoryMiB = 128,
        };
        db.Vms.Add(vm);
        await db.SaveChangesAsync(Ct);
        return vm.Id;
    }
}
