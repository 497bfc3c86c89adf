import type { Translate } from '../i18n/i18n.ts';
import { formatDate } from '../shared/dates.ts';
import { toCsv } from '../bookings/roster-csv.ts';
import { barChartSvg, type ChartSpec } from './charts.ts';
import type { HomeFigures } from './figures.ts';

/**
 * Each chart of the home page as one set of figures drawn three ways: the SVG, the table beside it and
 * its CSV download. All three come from `table` and `spec` built here together, so they cannot differ.
 */
export const CHARTS = ['applications', 'decisions', 'bookings', 'posts'] as const;
export type ChartId = (typeof CHARTS)[number];

export type ChartTable = { columns: string[]; rows: { head: string; cells: (string | number)[] }[] };
export type ChartView = { id: ChartId; heading: string; svg: string; table: ChartTable };

const md = (date: string) => formatDate(date).slice(5);
const sum = (xs: number[]) => xs.reduce((s, v) => s + v, 0);

export function chartViews(t: Translate, f: HomeFigures): ChartView[] {
  const weekOf = (week: string) => t('statistics.weekOf', { date: formatDate(week) });
  const first = formatDate(f.period.weeks[0]!);
  const last = formatDate(f.period.weeks.at(-1)!);
  const outcomes = [t('status.approved'), t('status.rejected'), t('status.pending')];
  const views: ChartView[] = [];
  const add = (id: ChartId, spec: Omit<ChartSpec, 'id' | 'title'>, table: ChartTable) => {
    const heading = t(`statistics.${id}.title`);
    views.push({ id, heading, svg: barChartSvg({ id: `chart-${id}`, title: heading, ...spec }), table });
  };

  const apps = f.applications;
  add(
    'applications',
    {
      desc: t('statistics.applications.desc', {
        from: first,
        to: last,
        total: sum(apps.map((a) => a.approved + a.rejected + a.pending)),
        approved: sum(apps.map((a) => a.approved)),
        rejected: sum(apps.map((a) => a.rejected)),
        pending: sum(apps.map((a) => a.pending)),
      }),
      series: outcomes,
      groups: f.period.weeks.map((week) => ({
        label: md(week),
        bars: apps
          .filter((a) => a.week === week)
          .map((a) => ({ label: a.service, segments: [a.approved, a.rejected, a.pending] })),
      })),
    },
    {
      columns: [t('statistics.col.week'), t('statistics.col.service'), ...outcomes, t('statistics.col.total')],
      rows: apps.map((a) => ({
        head: weekOf(a.week),
        cells: [t(`service.${a.service}`), a.approved, a.rejected, a.pending, a.approved + a.rejected + a.pending],
      })),
    },
  );

  const decided = f.decisions.filter((d) => d.medianHours !== null);
  add(
    'decisions',
    {
      desc: t('statistics.decisions.desc', {
        from: first,
        to: last,
        decided: sum(f.decisions.map((d) => d.decided)),
        weeks: decided.length,
        longest: decided.length ? Math.max(...decided.map((d) => d.medianHours!)) : 0,
      }),
      series: [t('statistics.col.medianHours')],
      groups: f.decisions.map((d) => ({
        label: md(d.week),
        bars: [{ label: d.week, segments: [d.medianHours ?? 0] }],
      })),
    },
    {
      columns: [t('statistics.col.week'), t('statistics.col.decided'), t('statistics.col.medianHours')],
      rows: f.decisions.map((d) => ({ head: weekOf(d.week), cells: [d.decided, d.medianHours ?? '—'] })),
    },
  );

  add(
    'bookings',
    {
      desc: t('statistics.bookings.desc', {
        from: formatDate(f.period.days[0]!),
        to: formatDate(f.period.days.at(-1)!),
        booked: sum(f.bookings.map((b) => b.booked)),
        capacity: sum(f.bookings.map((b) => b.capacity)),
        full: f.bookings.filter((b) => b.capacity > 0 && b.booked >= b.capacity).length,
      }),
      series: [t('statistics.col.booked')],
      markerName: t('statistics.col.capacity'),
      groups: f.bookings.map((b) => ({
        label: md(b.date),
        bars: [{ label: b.date, segments: [b.booked], marker: b.capacity }],
      })),
    },
    {
      columns: [
        t('statistics.col.date'),
        t('statistics.col.booked'),
        t('statistics.col.capacity'),
        t('statistics.col.free'),
      ],
      rows: f.bookings.map((b) => ({
        head: formatDate(b.date),
        cells: [b.booked, b.capacity, Math.max(0, b.capacity - b.booked)],
      })),
    },
  );

  add(
    'posts',
    {
      desc: t('statistics.posts.desc', {
        from: first,
        to: last,
        total: sum(f.posts.map((p) => p.approved + p.rejected + p.pending)),
        approved: sum(f.posts.map((p) => p.approved)),
        rejected: sum(f.posts.map((p) => p.rejected)),
        pending: sum(f.posts.map((p) => p.pending)),
      }),
      series: outcomes,
      groups: f.posts.map((p) => ({
        label: md(p.week),
        bars: [{ label: p.week, segments: [p.approved, p.rejected, p.pending] }],
      })),
    },
    {
      columns: [t('statistics.col.week'), ...outcomes, t('statistics.col.total')],
      rows: f.posts.map((p) => ({
        head: weekOf(p.week),
        cells: [p.approved, p.rejected, p.pending, p.approved + p.rejected + p.pending],
      })),
    },
  );
  return views;
}

/** A chart's table as CSV (UTF-8 with BOM, cells neutralised against formulas). */
export function chartCsv(view: ChartView): string {
  return toCsv([view.table.columns, ...view.table.rows.map((r) => [r.head, ...r.cells.map(String)])]);
}
