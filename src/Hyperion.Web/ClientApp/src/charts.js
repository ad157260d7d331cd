// Performance charts: Chart.js line charts over a linear time axis (milliseconds since the epoch).
import { Chart, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Filler } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Filler);

const charts = new Map();
const palette = ['#1e88e5', '#43a047', '#fb8c00', '#8e24aa', '#e53935', '#00acc1'];

function timeLabel(ms, spanMs) {
  const d = new Date(ms);
  return spanMs > 36 * 3600 * 1000
    ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) + ' ' + d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: spanMs < 3 * 3600 * 1000 ? '2-digit' : undefined });
}

// series: [{ label, points: [[timeMs, value], ...] }]
export function render(key, canvas, unit, series) {
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: s.points.map(([x, y]) => ({ x, y })),
    borderColor: palette[i % palette.length],
    backgroundColor: palette[i % palette.length] + '33',
    borderWidth: 2,
    pointRadius: s.points.length < 60 ? 2 : 0,
    tension: 0.2,
    fill: series.length === 1,
  }));
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const span = xs.length ? Math.max(...xs) - Math.min(...xs) : 0;
  let chart = charts.get(key);
  if (chart && chart.canvas !== canvas) {
    chart.destroy();
    chart = undefined;
  }
  if (!chart) {
    chart = new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', ticks: { maxTicksLimit: 8, callback: (v) => timeLabel(v, span) } },
          y: { beginAtZero: true, title: { display: !!unit, text: unit } },
        },
        plugins: {
          legend: { display: series.length > 1 },
          tooltip: { callbacks: { title: (items) => items.length ? new Date(items[0].parsed.x).toLocaleString() : '' } },
        },
      },
    });
    charts.set(key, chart);
  } else {
    chart.data.datasets = datasets;
    chart.options.scales.y.title = { display: !!unit, text: unit };
    chart.options.scales.x.ticks.callback = (v) => timeLabel(v, span);
    chart.update('none');
  }
  canvas.dataset.points = String(datasets.reduce((n, d) => n + d.data.length, 0));
}

export function dispose(key) {
  charts.get(key)?.destroy();
  charts.delete(key);
}
