using System.Diagnostics;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Hyperion.Center.Tests.Inventory;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class ZzProbeTests(PostgresServer server, ITestOutputHelper output) : CenterDatabaseTests
{
    protected override async Task<CenterDatabaseOptions> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        Environment.GetEnvironmentVariable("PROBE_DB") == "sqlite"
            ? new CenterDatabaseOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "probe-" + Guid.NewGuid().ToString("N")[..6]) }
            : new() { Provider = CenterDatabaseOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync(cancellationToken) };

    [Fact]
    public async Task Probe()
    {
        await using (var db = Factory.CreateDbContext())
        {
            var (_, hf, vf) = await AddDatacenterAsync(db, "dc");
            var h = await AddHostAsync(db, "10.0.0.1", hf);
            await SeedVmsAsync(db, Enumerable.Range(0, 10000).Select(i => ($"sim-{i:D5}", vf, (InventoryId?)h, VmPowerState.PoweredOff)).ToList());
        }

        string? cursor = null;
        for (var round = 0; round < 3; round++)
        {
            var w = Stopwatch.StartNew();
            var n = 0;
            do
            {
                var page = await InRequestAsync((db, access) => new VmQueries(db, access).ListAsync(Admin, new VmListFilter(), new PageRequest(100, cursor), Ct));
                cursor = page.Next;
                n++;
            }
            while (cursor is not null);
            output.WriteLine($"round {round}: {n} pages {w.ElapsedMilliseconds} ms => {w.ElapsedMilliseconds / (double)n:F1} ms/page");
        }

        await using var db2 = Factory.CreateDbContext();
        var q = db2.Vms.Where(v => string.Compare(v.Name, "sim-05000") > 0).OrderBy(v => v.Name).ThenBy(v => v.Id).Take(101);
        output.WriteLine(q.ToQueryString());
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++) { await db2.Vms.AsNoTracking().OrderBy(v => v.Name).ThenBy(v => v.Id).Take(101).ToListAsync(Ct); }
        output.WriteLine($"raw first page x20: {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        for (var i = 0; i < 20; i++) { await db2.Vms.LongCountAsync(Ct); }
        output.WriteLine($"count x20: {sw.ElapsedMilliseconds} ms");
        if (db2.Database.ProviderName!.Contains("Npgsql"))
        {
            var plan = await db2.Database.SqlQueryRaw<string>("EXPLAIN ANALYZE SELECT * FROM \"Vms\" ORDER BY \"Name\", \"Id\" LIMIT 101").ToListAsync(Ct);
            foreach (var l in plan) output.WriteLine(l);
            plan = await db2.Database.SqlQueryRaw<string>("EXPLAIN ANALYZE SELECT * FROM \"Vms\" WHERE \"Name\" > 'sim-05000' OR (\"Name\" = 'sim-05000' AND \"Id\" > 'vm-1') ORDER BY \"Name\", \"Id\" LIMIT 101").ToListAsync(Ct);
            foreach (var l in plan) output.WriteLine(l);
        }
    }
}
