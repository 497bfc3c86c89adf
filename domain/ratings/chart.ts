import type { Translate, MessageKey } from '../i18n/i18n.ts';
import { formatDate } from '../shared/dates.ts';
import { barChartSvg } from '../statistics/charts.ts';
import type { ChartTable } from '../statistics/views.ts';
import { TARGET_SHARE, type RatingFigures } from './figures.ts';

/** The share satisfied drawn two ways from the same figures: the SVG (for the eye) and the table beside it. */
export type RatingChart = { heading: string; svg: string; table: ChartTable };

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);

export const serviceLabel = (t: Translate, service: string): string =>
  service === 'kiosk' ? t('ratings.service.kiosk') : t(`service.${service}` as MessageKey);

export function ratingChart(t: Translate, f: RatingFigures): RatingChart {
  const target = Math.round(TARGET_SHARE * 100);
  const heading = t('ratings.bo.chartTitle');
  const met = (share: number | null) =>
    share === null ? '—' : share >= TARGET_SHARE ? t('ratings.bo.met.yes') : t('ratings.bo.met.no');
  const svg = barChartSvg({
    id: 'chart-ratings',
    title: heading,
    desc: t('ratings.bo.chartDesc', {
      from: formatDate(f.period.weeks[0]!),
      to: formatDate(f.period.weeks.at(-1)!),
      answers: f.total.answers,
      share: percent(f.total.share),
      target,
      below: f.weeks.filter((w) => w.share !== null && w.share < TARGET_SHARE).length,
    }),
    series: [t('ratings.bo.series')],
    markerName: t('ratings.bo.target', { target }),
    groups: f.weeks.map((w) => ({
      label: formatDate(w.week).slice(5),
      bars: [{ label: w.week, segments: [w.share === null ? 0 : Math.round(w.share * 1000) / 10], marker: target }],
    })),
  });
  const table: ChartTable = {
    columns: [
      t('ratings.bo.col.week'),
      t('ratings.bo.col.answers'),
      t('ratings.bo.col.satisfied'),
      t('ratings.bo.col.share'),
      t('ratings.bo.col.met'),
    ],
    rows: [
      ...f.weeks.map((w) => ({
        head: t('statistics.weekOf', { date: formatDate(w.week) }),
        cells: [w.answers, w.satisfied, percent(w.share), met(w.share)],
      })),
      {
        head: t('ratings.bo.total'),
        cells: [f.total.answers, f.total.satisfied, percent(f.total.share), met(f.total.share)],
      },
    ],
  };
  return { heading, svg, table };
}
