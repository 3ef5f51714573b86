/**
 * Findings per PCI DSS requirement as an inline SVG bar chart: no script and no external image, so
 * the page's CSP stays strict. The chart is an image whose text alternative names every bar.
 */

const BAR_HEIGHT = 22;
const GAP = 8;
const LABEL_WIDTH = 70;
const BAR_AREA = 360;
const COUNT_WIDTH = 50;

/** Requirement numbers in document order: 3.3.1 before 3.4.1 before 10.2.1. */
function byRequirement(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.localeCompare(b);
}

export function PciChart({ counts }: { counts: Record<string, number> }) {
  const rows = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => byRequirement(a, b));
  if (rows.length === 0) return <p>No finding maps to a PCI DSS requirement.</p>;
  const max = Math.max(...rows.map(([, n]) => n));
  const height = rows.length * (BAR_HEIGHT + GAP) + GAP;
  const width = LABEL_WIDTH + BAR_AREA + COUNT_WIDTH;
  const description = rows.map(([req, n]) => `requirement ${req}: ${n} finding${n === 1 ? "" : "s"}`).join("; ");
  return (
    <figure>
      <svg class="chart" role="img" aria-labelledby="pci-chart-title pci-chart-desc" width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        <title id="pci-chart-title">Findings per PCI DSS requirement</title>
        <desc id="pci-chart-desc">{description}</desc>
        <line class="axis" x1={LABEL_WIDTH} y1={0} x2={LABEL_WIDTH} y2={height} />
        {rows.map(([req, n], i) => {
          const y = GAP + i * (BAR_HEIGHT + GAP);
          const w = Math.max(2, Math.round((n / max) * BAR_AREA));
          return (
            <g>
              <text x={LABEL_WIDTH - 8} y={y + BAR_HEIGHT * 0.7} text-anchor="end">
                {req}
              </text>
              <rect class="bar" x={LABEL_WIDTH} y={y} width={w} height={BAR_HEIGHT} />
              <text x={LABEL_WIDTH + w + 6} y={y + BAR_HEIGHT * 0.7}>
                {n}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>Findings per PCI DSS v4.0.1 requirement</figcaption>
    </figure>
  );
}
