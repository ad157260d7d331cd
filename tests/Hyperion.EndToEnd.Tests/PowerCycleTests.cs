using Hyperion.Contracts.Events;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

[Trait("Category", "EndToEnd")]
public sealed class PowerCycleTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    [Fact]
    public async Task PowerOn_TinyGuest_TicksIncreaseAndVmReportsTcg()
    {
        var vm = await Api.CreateTinyAsync("ticker");
        Assert.Equal("poweredOff", vm.PowerState);

        var on = await Api.PowerOkAsync("ticker", "power-on");
        Assert.Equal("poweredOn", on.PowerState);
        Assert.Equal("tcg", on.Acceleration);
        Assert.NotNull(on.Pid);

        var log = await Api.WaitForTickAsync("ticker", 5);
        Assert.Contains(TinyGuestLog.BootMarker, log, StringComparison.Ordinal);
        var first = TinyGuestLog.LastTick(log);
        log = await Api.WaitForTickAsync("ticker", first + 5);
        var ticks = TinyGuestLog.Ticks(log);
        Assert.Equal(Enumerable.Range(1, ticks.Count), ticks);

        var host = await Api.HostInfoAsync();
        Assert.Contains("ticker", host.RunningVms);
        Assert.Equal("tcg", host.Acceleration.Mode);

        await Api.PowerOkAsync("ticker", "power-off");
        var off = await Api.GetVmAsync("ticker");
        Assert.Equal("poweredOff", off.PowerState);
        Assert.Null(off.Pid);
        Assert.Contains(await Api.EventsAsync(vm.Id), e => e.Type == EventTypes.VmPoweredOff);
    }

    [Fact]
    public async Task Shutdown_AcpiPowerButton_GuestPowersOffCleanly()
    {
        await Api.CreateTinyAsync("acpi");
        await Api.PowerOkAsync("acpi", "power-on");
        await Api.WaitForTickAsync("acpi", 3);

        var result = await Api.PowerAsync("acpi", "shutdown", new { timeoutSeconds = 60 });
        var vm = result.As<Contracts.Vms.VmDto>();

        Assert.Equal("poweredOff", vm.PowerState);
        Assert.Contains("hyperion-tiny poweroff", await Api.SerialAsync("acpi"), StringComparison.Ordinal);
        var events = await Api.EventsAsync(vm.Id);
        Assert.Contains(events, e => e.Type == EventTypes.VmPoweredOff && e.Message.Contains("guest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_GuestIgnoresPowerButton_TimesOutAndVmKeepsRunning()
    {
        await Api.CreateTinyAsync("stubborn", "hyperion.ignore_powerbutton=1");
        await Api.PowerOkAsync("stubborn", "power-on");
        var before = TinyGuestLog.LastTick(await Api.WaitForTickAsync("stubborn", 3));

        var result = await Api.PowerAsync("stubborn", "shutdown", new { timeoutSeconds = 2 });

        Assert.Equal(System.Net.HttpStatusCode.GatewayTimeout, result.Status);
        Assert.Equal("vm.shutdown-timeout", result.Problem().Code);
        Assert.Equal("poweredOn", (await Api.GetVmAsync("stubborn")).PowerState);
        await Api.WaitForTickAsync("stubborn", before + 3);
        Assert.Equal("poweredOff", (await Api.PowerOkAsync("stubborn", "power-off")).PowerState);
        Assert.DoesNotContain(await Api.EventsAsync((await Api.GetVmAsync("stubborn")).Id), e => e.Type == EventTypes.VmProcessDied);
    }

    [Fact]
    public async Task EventStream_PowerOn_DeliversEventLive()
    {
        var vm = await Api.CreateTinyAsync("streamed");
        var after = (await Api.EventsAsync()).Max(e => e.Id);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/events/stream?after={after}");
        using var response = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        await Api.PowerOkAsync("streamed", "power-on");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? eventType = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventType == EventTypes.VmPoweredOn)
            {
                var e = System.Text.Json.JsonSerializer.Deserialize<EventDto>(line["data: ".Length..], Contracts.JsonDefaults.Options)!;
                Assert.Equal(vm.Id, e.VmId);
                Assert.True(e.Id > after);
                break;
            }
        }

        Assert.Equal(EventTypes.VmPoweredOn, eventType);
        await Api.PowerOkAsync("streamed", "power-off");
    }

    [Fact]
    public async Task SuspendResumeReset_RunningGuest_PausesContinuesAndReboots()
    {
        await Api.CreateTinyAsync("pauser");
        await Api.PowerOkAsync("pauser", "power-on");
        await Api.WaitForTickAsync("pauser", 3);

        Assert.Equal("suspended", (await Api.PowerOkAsync("pauser", "suspend")).PowerState);
        var paused = TinyGuestLog.LastTick(await Api.SerialAsync("pauser"));
        await Task.Delay(TimeSpan.FromMilliseconds(800)); // a paused guest must print nothing for a while
        Assert.Equal(paused, TinyGuestLog.LastTick(await Api.SerialAsync("pauser")));
        var refused = await Api.PowerAsync("pauser", "shutdown");
        Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("vm.invalid-state", refused.Problem().Code);

        Assert.Equal("poweredOn", (await Api.PowerOkAsync("pauser", "resume")).PowerState);
        await Api.WaitForTickAsync("pauser", paused + 3);

        await Api.PowerOkAsync("pauser", "reset");
        await Eventually.GetAsync(() => Api.SerialAsync("pauser"), log => TinyGuestLog.CountBoots(log) == 2, TimeSpan.FromSeconds(90), "a second boot after reset");

        await Api.PowerOkAsync("pauser", "power-off");
    }
}
