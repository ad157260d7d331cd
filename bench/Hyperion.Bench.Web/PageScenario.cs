using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Hyperion.Bench.Web;

/// <summary>
/// One page measured for time to interactive. <paramref name="RowsScript"/> is a JavaScript expression counting the rows
/// of the page's list that are in the DOM (the page counts as rendered when it is above zero); <paramref name="FirstLink"/>
/// finds the first row's name link, clicked to prove the page handles input.
/// </summary>
internal sealed record PageScenario(string Name, string Path, string RowsScript, Func<IPage, ILocator> FirstLink)
{
    /// <summary>Rows of the VMs tab's virtualized grid that hold a VM (not the loading placeholders).</summary>
    public const string GridRows = "document.querySelectorAll('#vm-list tbody tr.row').length";

    /// <summary>The name link of the grid's first VM row.</summary>
    public static ILocator GridFirstLink(IPage page) => page.Locator("#vm-list tbody tr.row a").First;

    /// <summary>The home page's summary shown, counted as the inventory tree's rows beside it.</summary>
    public const string HomeRows =
        "document.querySelector('#container-summary') ? document.querySelectorAll('#inventory-tree [role=treeitem]').length : 0";

    /// <summary>The tree's first object link (the first datacenter).</summary>
    public static ILocator TreeFirstObject(IPage page) => page.Locator("#inventory-tree [role=treeitem] a.hyperion-tree-label").First;

    /// <summary>Every row element in the document, whatever it shows: the DOM's size against the 10,000 VMs.</summary>
    public const string AllRowsScript = "() => document.querySelectorAll('tr, [role=row], [role=treeitem]').length";

    /// <summary>Inventory tree rows naming a VM whose name starts with <paramref name="prefix"/>.</summary>
    public static string TreeRows(string prefix) =>
        $"[...document.querySelectorAll('#inventory-tree [role=treeitem]')].filter(r => r.textContent.includes('{prefix}')).length";

    /// <summary>A tree VM link starting with <paramref name="prefix"/> other than the page's own object (that would not navigate).</summary>
    public static Func<IPage, ILocator> TreeOtherVm(string prefix) => page =>
        page.Locator("#inventory-tree [role=treeitem][aria-selected=false] a.hyperion-tree-label")
            .Filter(new LocatorFilterOptions { HasTextRegex = new Regex("^" + Regex.Escape(prefix), RegexOptions.None, TimeSpan.FromSeconds(1)) })
            .First;

    /// <summary>
    /// Run before each page's own scripts: records when the page's start script marks the circuit up
    /// (<c>window.__hyperionCircuitUp = true</c>) as <c>window.__benchCircuitAt</c>, to split the time to interactive.
    /// </summary>
    public const string CircuitProbeScript =
        """
        (() => {
          let up;
          Object.defineProperty(window, '__hyperionCircuitUp', {
            configurable: true,
            get() { return up; },
            set(value) { up = value; if (value === true && window.__benchCircuitAt === undefined) window.__benchCircuitAt = performance.now(); },
          });
        })();
        """;

    /// <summary>The script WaitForFunction polls: the time since navigation start once the circuit is up and rows show.</summary>
    public string ReadyScript =>
        $"() => {{ if (window.__hyperionCircuitUp !== true) return false; const n = {RowsScript}; return n > 0 ? performance.now() : false; }}";
}
