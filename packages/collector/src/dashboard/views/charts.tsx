/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// Charts as server-rendered SVG: no script, nothing to load, readable without CSS.
import type { PropsWithChildren } from 'hono/jsx'
import type { Fmt } from './intl.js'

/** The axis' top value, short enough for its margin (`200M`, `12.5K`, `13`). */
// The top of a bar chart's axis, short in the reader's language (200M, 2亿).
const ticks = new Map<string, Intl.NumberFormat>()
const tick = (locale: string | undefined, n: number) => {
  const key = locale ?? 'en'
  let format = ticks.get(key)
  if (!format) {
    format = new Intl.NumberFormat(key, { notation: 'compact', maximumFractionDigits: 1 })
    ticks.set(key, format)
  }
  return format.format(n)
}

export interface Bar {
  label: string
  value: number
  /** Shown on hover (the SVG <title>). */
  title?: string
  tone?: string
}

/** The frame every chart draws in: scales to its box, named for screen readers. */
function ChartSvg(props: PropsWithChildren<{ width: number; height: number; label: string }>) {
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${props.width} ${props.height}`}
      role="img"
      aria-label={props.label}
      width="100%"
    >
      {props.children}
    </svg>
  )
}

/** What a chart shows instead of flat lines when it has nothing to draw. */
function NoData(props: { text: string }) {
  return <p class="muted chart-empty">{props.text}</p>
}

/**
 * Vertical bars with a label under every `labelEvery`-th bar; `empty` instead when there are no
 * bars or every bar is 0 (a row of zeros says nothing a sentence does not).
 */
export function BarChart(props: {
  bars: Bar[]
  width?: number
  height?: number
  labelEvery?: number
  label: string
  /** Said instead of the chart when it has no data. */
  empty: string
  /** Whether there is data; by default, whether any bar is not 0. */
  hasData?: boolean
  /** The reader's language, for the axis figure (default English). */
  locale?: string
}) {
  if (!(props.hasData ?? props.bars.some((b) => b.value !== 0)))
    return <NoData text={props.empty} />
  const width = props.width ?? 640
  const height = props.height ?? 180
  const pad = { top: 10, bottom: 26, left: 36, right: 6 }
  const max = Math.max(1, ...props.bars.map((b) => b.value))
  const innerH = height - pad.top - pad.bottom
  const slot = (width - pad.left - pad.right) / Math.max(1, props.bars.length)
  const every = props.labelEvery ?? 1
  return (
    <ChartSvg width={width} height={height} label={props.label}>
      <line
        x1={pad.left}
        x2={width - pad.right}
        y1={height - pad.bottom}
        y2={height - pad.bottom}
        class="axis"
      />
      <text x={pad.left - 4} y={pad.top + 8} class="tick" text-anchor="end">
        {tick(props.locale, max)}
      </text>
      <text x={pad.left - 4} y={height - pad.bottom} class="tick" text-anchor="end">
        0
      </text>
      {props.bars.map((b, i) => {
        const h = (b.value / max) * innerH
        const x = pad.left + i * slot
        return (
          <g>
            <rect
              x={x + slot * 0.1}
              y={height - pad.bottom - h}
              width={Math.max(1, slot * 0.8)}
              height={h}
              class={`bar ${b.tone ?? ''}`}
            >
              <title>{b.title ?? `${b.label}: ${b.value}`}</title>
            </rect>
            {i % every === 0 ? (
              <text x={x + slot / 2} y={height - 8} class="tick" text-anchor="middle">
                {b.label}
              </text>
            ) : null}
          </g>
        )
      })}
    </ChartSvg>
  )
}

export interface Point {
  at: number
  value: number
  title: string
}

/** A line over time (steps between changes, as a score holds until the next event). */
export function StepChart(props: {
  points: Point[]
  width?: number
  height?: number
  label: string
  /** Said instead of the chart when it has no points. */
  empty: string
  /** The axis dates in the workspace's zone and the reader's language; UTC ISO without it. */
  f?: Fmt
}) {
  const width = props.width ?? 640
  const height = props.height ?? 160
  const pad = { top: 10, bottom: 24, left: 40, right: 10 }
  const pts = props.points
  if (pts.length === 0) return <NoData text={props.empty} />
  const t0 = pts[0]!.at
  const t1 = Math.max(pts[pts.length - 1]!.at, t0 + 1)
  const lo = Math.min(0, ...pts.map((p) => p.value))
  const hi = Math.max(1, ...pts.map((p) => p.value))
  const x = (t: number) => pad.left + ((t - t0) / (t1 - t0)) * (width - pad.left - pad.right)
  const y = (v: number) => pad.top + (1 - (v - lo) / (hi - lo)) * (height - pad.top - pad.bottom)
  let d = `M${x(pts[0]!.at).toFixed(1)},${y(pts[0]!.value).toFixed(1)}`
  for (let i = 1; i < pts.length; i++) {
    d += ` H${x(pts[i]!.at).toFixed(1)} V${y(pts[i]!.value).toFixed(1)}`
  }
  // dates for long spans, times of day when everything happened within two days
  const short = t1 - t0 < 2 * 86_400_000
  const f = props.f
  const day = (t: number) =>
    f
      ? short
        ? f.dateTime(t)
        : f.date(t)
      : new Date(t)
          .toISOString()
          .slice(short ? 5 : 0, short ? 16 : 10)
          .replace('T', ' ')
  return (
    <ChartSvg width={width} height={height} label={props.label}>
      <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} class="axis" />
      <text x={pad.left - 4} y={y(hi) + 4} class="tick" text-anchor="end">
        {Math.round(hi)}
      </text>
      <text x={pad.left - 4} y={y(lo) + 4} class="tick" text-anchor="end">
        {Math.round(lo)}
      </text>
      <text x={pad.left} y={height - 6} class="tick">
        {day(t0)}
      </text>
      <text x={width - pad.right} y={height - 6} class="tick" text-anchor="end">
        {day(t1)}
      </text>
      <path d={d} class="line" />
      {pts.map((p) => (
        <circle cx={x(p.at)} cy={y(p.value)} r="3" class="dot">
          <title>{p.title}</title>
        </circle>
      ))}
    </ChartSvg>
  )
}
