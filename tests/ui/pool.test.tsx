// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PoolForecastResponse } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import PoolPage, { forecastSeries, isPoolLow } from '../../src/tab/pool/index.js';
import { forecastBasis, forecastReason } from '../../src/tab/pool/forecast-words.js';
import { formatDateTime, formatDay } from '../../src/ui/format.js';
import { EMPLOYEE_ME, IT_ME, MANAGER_ME, fakeApi, renderWithApp } from './render.js';


// jsdom lays nothing out, so it lacks the two SVG measuring calls the chart makes; answer them with zero
// size (as setup.ts does for matchMedia) so the real LineChart renders. Nothing of the chart is mocked.
const svg = SVGElement.prototype as SVGElement & { getComputedTextLength?: () => number; getBBox?: () => DOMRect };
svg.getComputedTextLength ??= () => 0;
svg.getBBox ??= () => ({ x: 0, y: 0, width: 0, height: 0 }) as DOMRect;

const LOTS = [
  { id: 'lot-1', purchaseId: 'purchase-1', appliedAt: '2026-09-01T10:00:00.000Z', credits: 500, remaining: 0, price: 2500, currency: 'USD' },
  { id: 'lot-2', purchaseId: 'purchase-2', title: 'Q4 top-up', requestedAt: '2026-09-24T10:00:00.000Z', appliedAt: '2026-10-01T10:00:00.000Z', credits: 1000, remaining: 250, price: 4800, currency: 'USD' },
];

const DRAWS = [
  { at: new Date(Date.now() - 2 * 3_600_000).toISOString(), credits: 12.5, count: 1, service: 'simulation', office: 'Seattle', memberId: 'blake', memberName: 'Blake Ortiz' },
  { at: new Date(Date.now() - 26 * 3_600_000).toISOString(), credits: 5, count: 1, service: 'cloud_rendering', office: 'Boston', memberId: 'avery', memberName: 'Avery Chen' },
];

const TODAY = '2026-11-02';
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A forecast as the API answers it: 250 left, 12.5 a day, runs out around 21 November; 30 days ahead. */
function forecast(overrides: Partial<PoolForecastResponse> = {}): PoolForecastResponse {
  const horizonDays = overrides.horizonDays ?? 30;
  return {
    today: TODAY,
    poolBalance: 250,
    method: 'history',
    confidence: 'high',
    dailyRate: 12.5,
    joiningRate: 0,
    joiningSoon: 0,
    zeroDate: '2026-11-21',
    zeroDateEarliest: '2026-11-17',
    zeroDateLatest: '2026-11-27',
    shortBeforeIncoming: false,
    orderByDate: '2026-11-06',
    orderNow: false,
    recommendedBlocks: 3,
    recommendedCredits: 300,
    overdraft: null,
    blockSize: 100,
    leadTimeDays: 7,
    leadTimeSource: 'policy',
    safetyMarginDays: 2,
    horizonDays,
    historyDays: 56,
    incoming: [],
    projection: Array.from({ length: horizonDays }, (_, k) => {
      const expected = 250 - 12.5 * (k + 1);
      return { date: addDays(TODAY, k), expected, low: expected - 2 * k, high: expected + 8 * k };
    }),
    balanceHistory: [400, 350, 300, 262.5, 250].map((balance, i) => ({ date: addDays(TODAY, i - 4), balance })),
    ...overrides,
  };
}

const NO_HISTORY = forecast({
  method: 'no-usage',
  confidence: 'low',
  historyDays: 0,
  dailyRate: 0,
  zeroDate: null,
  zeroDateEarliest: null,
  zeroDateLatest: null,
  orderByDate: null,
  recommendedBlocks: 0,
  recommendedCredits: 0,
  balanceHistory: [],
});

const pool = (balance = 250, held = 0) => ({ balance, held, lots: LOTS, eligibleMembers: 3, recentDraws: DRAWS });

describe('forecast series and words', () => {
  it('joins the projection to the balance now and keeps it at zero once the pool runs out', () => {
    const f = forecast({ projection: [
      { date: TODAY, expected: 240, low: 230, high: 250 },
      { date: addDays(TODAY, 1), expected: 120, low: -10, high: 200 },
      { date: addDays(TODAY, 2), expected: -5, low: -60, high: 150 },
    ] });
    const series = forecastSeries(f);
    expect(series.history.map((p) => p.y)).toEqual([400, 350, 300, 262.5, 250]);
    expect(series.history.at(-1)!.x.toISOString()).toBe(`${TODAY}T12:00:00.000Z`);
    // From the balance now, then the days after today (today's end-of-day row is where the line starts from).
    expect(series.expected.map((p) => p.y)).toEqual([250, 120, 0]);
    expect(series.low.map((p) => p.y)).toEqual([250, 0, 0]);
    expect(series.high.map((p) => p.y)).toEqual([250, 200, 150]);
    expect(series.expected.map((p) => p.x.toISOString().slice(0, 10))).toEqual([TODAY, addDays(TODAY, 1), addDays(TODAY, 2)]);
    // No history row for today (e.g. none read): the balance now stands in.
    expect(forecastSeries({ ...f, balanceHistory: [] }).expected[0]!.y).toBe(250);
  });

  it('says what the forecast is based on in plain words', () => {
    expect(forecastBasis({ method: 'history', historyDays: 56, joiningSoon: 0 })).toBe('Based on 8 weeks of draws');
    expect(forecastBasis({ method: 'simple-rate', historyDays: 3, joiningSoon: 2 })).toBe('Little history: simple average of 3 days of draws, and 2 people about to use up their own credits');
    expect(forecastBasis({ method: 'simple-rate', historyDays: 1, joiningSoon: 0 })).toBe('Little history: simple average of 1 day of draws');
    expect(forecastBasis({ method: 'no-usage', historyDays: 20, joiningSoon: 0 })).toBe('No pool draws in the last 20 days');
    expect(forecastReason(forecast())).toBe(`Forecast: pool runs out around ${formatDay('2026-11-21')}`);
    expect(forecastReason({ zeroDate: null, zeroDateEarliest: null, horizonDays: 60 })).toBe('Forecast: cover the next 60 days');
  });
});

describe('Pool dashboard', () => {
  it('shows the balance, members drawing, lots and named draws', async () => {
    const { api } = fakeApi({ pool: () => pool(), poolForecast: () => forecast() });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    expect((await screen.findByTestId('pool-balance')).textContent).toBe('250');
    expect(screen.getByTestId('eligible-members').textContent).toBe('3');

    const lots = within(screen.getByRole('table', { name: 'Lots' })).getAllByRole('row').slice(1);
    expect(lots).toHaveLength(2);
    within(lots[1]!).getByText(`Q4 top-up · ${formatDay('2026-09-24T10:00:00.000Z')}`);
    within(lots[1]!).getByText('1,000');
    within(lots[1]!).getByText('250 left');
    within(lots[1]!).getByText('$4,800.00');
    within(lots[1]!).getByText('$4.80 per credit');

    const draws = within(screen.getByRole('table', { name: 'Recent draws' })).getAllByRole('row').slice(1);
    within(draws[0]!).getByText('Blake Ortiz');
    within(draws[0]!).getByText('Simulation');
    within(draws[0]!).getByText('12.5');
    within(draws[0]!).getByText('2 hours ago');
    within(draws[1]!).getByText('Avery Chen');
    // Nothing held: no line about holds.
    expect(screen.queryByTestId('pool-held')).toBeNull();
  });

  it('shows an employee the lots without a price column (the API sends them no prices)', async () => {
    const unpriced = LOTS.map(({ price: _price, currency: _currency, title: _title, ...lot }) => lot);
    const { api } = fakeApi({ pool: () => ({ ...pool(), lots: unpriced, recentDraws: [] }), poolForecast: () => forecast() });
    renderWithApp(<PoolPage />, { api, me: EMPLOYEE_ME });
    const table = await screen.findByRole('table', { name: 'Lots' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['From', 'Applied', 'Credits', 'Remaining']);
    within(table).getByText('250 left');
    expect(within(table).queryByText('—')).toBeNull();
  });

  it('says how much of the pool is held for planned jobs (holds)', async () => {
    const { api } = fakeApi({ pool: () => pool(220, 30), poolForecast: () => forecast() });
    renderWithApp(<PoolPage />, { api, me: EMPLOYEE_ME });
    expect((await screen.findByTestId('pool-balance')).textContent).toBe('220');
    expect(screen.getByTestId('pool-held').textContent).toMatch(/30 more credits are held for planned jobs/);
  });

  it('shows the forecast: order-by date, run-out date, rate, blocks, basis, and the chart with its band', async () => {
    const { api, calls } = fakeApi({ pool: () => pool(), poolForecast: () => forecast() });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    expect((await screen.findByTestId('forecast-order-by')).textContent).toBe(formatDay('2026-11-06'));
    expect(calls.filter((c) => c.name === 'poolForecast')).toHaveLength(1);
    expect(screen.getByTestId('forecast-runs-out').textContent).toBe(formatDay('2026-11-21'));
    screen.getByText(`Between ${formatDay('2026-11-17')} and ${formatDay('2026-11-27')}, depending on demand.`);
    expect(screen.getByTestId('forecast-rate').textContent).toBe('12.5 a day');
    expect(screen.getByTestId('forecast-blocks').textContent).toBe('3 blocks');
    screen.getByText('Based on 8 weeks of draws. High confidence.');
    screen.getByText(/A purchase takes up to 7 working days, plus 2 working days' margin/);
    // Not due yet: no warning.
    expect(screen.queryByText('Order now')).toBeNull();

    // The chart: the balance day by day, then the expected line and the band edges from the balance now.
    const history = await screen.findByRole('region', { name: /Pool balance, line 1 of 4 with 5 data points/ });
    expect(within(history).getAllByRole('img').map((p) => p.getAttribute('aria-label')!.replace(/^.*Pool balance, /, ''))).toEqual(['400.', '350.', '300.', '262.5.', '250.']);
    const expected = screen.getByRole('region', { name: /Expected, line 2 of 4 with 30 data points/ });
    const points = within(expected).getAllByRole('img').map((p) => p.getAttribute('aria-label')!.replace(/^.*Expected, /, ''));
    expect(points.slice(0, 3)).toEqual(['250.', '225.', '212.5.']);
    screen.getByRole('region', { name: /Heavy demand, line 3 of 4 with 30 data points/ });
    screen.getByRole('region', { name: /Light demand, line 4 of 4 with 30 data points/ });
    // …and the same in words, naming the run-out day the headline names (not the chart's last day at zero).
    const runsOut = screen.getByTestId('forecast-runs-out').textContent;
    screen.getByText(`From 400 on ${formatDay(addDays(TODAY, -4))} to 250 today. Expected to run out on ${runsOut}, as early as ${formatDay('2026-11-17')} with heavy demand.`);
    expect(screen.queryByText(/Expected 0 on/)).toBeNull();
  });

  it('draws a purchase on its way as a step on its expected day, from the balance now, and names it under the chart', async () => {
    // 22.59 in the pool, 5 a day, 100 expected on 6 November: the projection starts at 22.59 and rises that day.
    const arrival = addDays(TODAY, 4);
    const projection = Array.from({ length: 30 }, (_, k) => {
      const date = addDays(TODAY, k);
      const expected = Math.round((22.59 + (date >= arrival ? 100 : 0) - 5 * (k + 1)) * 100) / 100;
      return { date, expected, low: expected - k, high: expected + k };
    });
    const zeroDate = projection.find((d) => d.expected <= 0)!.date;
    const f = forecast({ poolBalance: 22.59, incoming: [{ credits: 100, expectedDate: arrival }], projection, zeroDate, zeroDateEarliest: zeroDate, zeroDateLatest: null, balanceHistory: [{ date: TODAY, balance: 22.59 }] });
    const series = forecastSeries(f);
    expect(series.expected[0]).toEqual({ x: new Date(`${TODAY}T12:00:00Z`), y: 22.59 });
    // The day before the arrival, then the step at the start of the arrival day, then that day's balance.
    const at = (p: { x: Date }) => p.x.toISOString();
    const i = series.expected.findIndex((p) => at(p) === `${arrival}T00:00:00.000Z`);
    expect(series.expected[i - 1]).toEqual({ x: new Date(`${addDays(arrival, -1)}T12:00:00Z`), y: projection[3]!.expected });
    expect(series.expected[i]!.y).toBe(projection[3]!.expected);
    expect(series.expected[i + 1]).toEqual({ x: new Date(`${arrival}T12:00:00Z`), y: projection[4]!.expected });
    expect(series.expected.filter((p) => at(p).endsWith('T00:00:00.000Z'))).toHaveLength(1);

    const { api } = fakeApi({ pool: () => pool(22.59), poolForecast: () => f });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    expect((await screen.findByTestId('forecast-runs-out')).textContent).toBe(formatDay(zeroDate));
    await screen.findByText(`22.59 today. Expected to run out on ${formatDay(zeroDate)}. Purchases land 100 credits on ${formatDay(arrival)}.`);
  });

  it('warns when the order is due, with the purchase button in the warning', async () => {
    const { api } = fakeApi({ pool: () => pool(40), poolForecast: () => forecast({ poolBalance: 40, orderNow: true, orderByDate: '2026-10-29', recommendedBlocks: 4, recommendedCredits: 400 }) });
    renderWithApp(<PoolPage />, { api, me: IT_ME });
    const warning = (await screen.findByText('Order now')).closest('.fui-MessageBar') as HTMLElement;
    expect(warning).toBeTruthy();
    // The same run-out date as the "Runs out" figure, with the heavy-demand edge named as such.
    within(warning).getByText(new RegExp(`expected to run out on ${formatDay('2026-11-21')} \\(as early as ${formatDay('2026-11-17')} with heavy demand\\)`));
    expect(screen.getByTestId('forecast-runs-out').textContent).toBe(formatDay('2026-11-21'));
    within(warning).getByRole('button', { name: 'Start a purchase of 4 blocks' });
    // The order-by date is past: "Now", and when it was.
    expect(screen.getByTestId('forecast-order-by').textContent).toBe('Now');
    screen.getByText(new RegExp(`The order-by date was ${formatDay('2026-10-29')}`));
    // One button, not two.
    expect(screen.getAllByRole('button', { name: /Start a purchase of/ })).toHaveLength(1);
  });

  it('shows employees the forecast without the purchase button', async () => {
    const { api } = fakeApi({
      pool: () => ({ ...pool(40), recentDraws: [] }),
      poolForecast: () => forecast({ poolBalance: 40, orderNow: true, orderByDate: TODAY, recommendedBlocks: 4, recommendedCredits: 400 }),
    });
    renderWithApp(<PoolPage />, { api, me: EMPLOYEE_ME });
    expect((await screen.findByTestId('forecast-order-by')).textContent).toBe('Today');
    screen.getByText('Order now');
    screen.getByText(/Ask an account manager to order more credits/);
    expect(screen.getByTestId('forecast-blocks').textContent).toBe('4 blocks');
    expect(screen.queryByRole('button', { name: /Start a purchase/ })).toBeNull();
  });

  it('starts the recommended purchase from the forecast, prefilled, once, and goes to Purchases', async () => {
    const user = userEvent.setup();
    const navigated: string[] = [];
    const { api, calls } = fakeApi({
      pool: () => pool(),
      poolForecast: () => forecast(),
      createPurchase: ({ body }: any) => ({
        purchase: { id: 'p-new', blocks: body.blocks, credits: body.blocks * 100, state: 'requested', reason: body.reason, quoteNumber: null, price: null, currency: null, poNumber: null, requestedBy: 'am-1', createdAt: '2026-11-02T10:00:00.000Z', updatedAt: '2026-11-02T10:00:00.000Z', steps: [] },
      }),
    });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME, navigate: (page) => navigated.push(page) });
    await user.click(await screen.findByRole('button', { name: 'Start a purchase of 3 blocks' }));
    const dialog = await screen.findByRole('dialog', { name: 'New purchase' });
    expect((await within(dialog).findByLabelText<HTMLInputElement>(/Blocks/)).value).toBe('3');
    expect(within(dialog).getByLabelText<HTMLTextAreaElement>(/Why/).value).toBe(`Forecast: pool runs out around ${formatDay('2026-11-21')}`);
    await user.dblClick(within(dialog).getByRole('button', { name: 'Start purchase' }));
    await waitFor(() => expect(navigated).toEqual(['purchases']));
    const posts = calls.filter((c) => c.name === 'createPurchase');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.input.body).toEqual({ blocks: 3, reason: `Forecast: pool runs out around ${formatDay('2026-11-21')}` });
    expect(posts[0]!.input.idempotencyKey).toMatch(/^[A-Za-z0-9-]{8,64}$/);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('has no button when nothing needs buying', async () => {
    const { api } = fakeApi({ pool: () => pool(), poolForecast: () => forecast({ zeroDate: null, zeroDateEarliest: null, zeroDateLatest: null, orderByDate: null, recommendedBlocks: 0, recommendedCredits: 0 }) });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    expect((await screen.findByTestId('forecast-order-by')).textContent).toBe('No order needed');
    expect(screen.getByTestId('forecast-runs-out').textContent).toBe('Not within 30 days');
    expect(screen.getByTestId('forecast-blocks').textContent).toBe('Nothing to buy');
    expect(screen.queryByRole('button', { name: /Start a purchase/ })).toBeNull();
  });

  it('says the forecast starts with the first draw when there is no history', async () => {
    const { api } = fakeApi({ pool: () => ({ ...pool(), recentDraws: [] }), poolForecast: () => NO_HISTORY });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    await screen.findByText(/The forecast starts once the pool has been drawn on/);
    expect(screen.queryByTestId('forecast-order-by')).toBeNull();
    expect(screen.queryByRole('button', { name: /Start a purchase/ })).toBeNull();
  });

  // Autodesk charged more than the pool held: what the API sends a manager, and what it sends an employee.
  const OVERDRAWN_AT = '2026-12-07T08:00:00.000Z';
  const OVERDRAFT = {
    credits: 2724.71,
    since: OVERDRAWN_AT,
    usedFrom: '2026-12-01',
    usedTo: '2026-12-02',
    people: [
      { memberId: 'blake', name: 'Blake Ortiz', credits: 2000 },
      { memberId: 'avery', name: 'Avery Chen', credits: 724.71 },
    ],
    imports: [{ fileName: 'cloud-services-usage.csv', uploadedAt: '2026-12-07T07:55:00.000Z' }],
  };
  const overdrawn = (overdraft: object) => ({ ...pool(), balance: -2724.71, lots: LOTS.map((l) => ({ ...l, remaining: 0 })), overdraft });

  it('shows an overdraft as one, with who, when and from which export, not a negative balance', async () => {
    const user = userEvent.setup();
    const navigated: string[] = [];
    const { api } = fakeApi({ pool: () => overdrawn(OVERDRAFT), poolForecast: () => forecast() });
    renderWithApp(<PoolPage />, { api, me: IT_ME, navigate: (page) => navigated.push(page) });
    const bar = await screen.findByTestId('pool-overdraft');
    expect(bar.textContent).toContain(`The pool is overdrawn by 2,724.71 credits since ${formatDateTime(OVERDRAWN_AT)}`);
    expect(bar.textContent).toContain(`Blake Ortiz (2,000) and Avery Chen (724.71) used credits from ${formatDay('2026-12-01')} to ${formatDay('2026-12-02')} that the pool did not have`);
    expect(bar.textContent).toContain('imported from Autodesk’s usage export cloud-services-usage.csv, uploaded');
    expect(bar.textContent).toContain('Record the missing purchase, or check usage outside Credit Desk.');
    expect(screen.getByTestId('pool-balance').textContent).toBe('0');
    expect(screen.getByTestId('pool-overdrawn').textContent).toBe('Overdrawn by 2,724.71 credits: nothing left to draw.');
    expect(document.body.textContent).not.toMatch(/-2,?724|−2,?724/);
    expect(screen.queryByText('The pool is low')).toBeNull();
    await user.click(within(bar).getByRole('button', { name: 'Go to purchases' }));
    expect(navigated).toEqual(['purchases']);
  });

  it('shows an employee the overdraft and since when, without names or a purchases link', async () => {
    const { people: _people, imports: _imports, ...forEmployees } = OVERDRAFT;
    const { api } = fakeApi({ pool: () => overdrawn(forEmployees), poolForecast: () => forecast() });
    renderWithApp(<PoolPage />, { api, me: EMPLOYEE_ME });
    const bar = await screen.findByTestId('pool-overdraft');
    expect(bar.textContent).toContain('The pool is overdrawn by 2,724.71 credits since');
    expect(bar.textContent).toContain(`Autodesk’s usage export shows pool use from ${formatDay('2026-12-01')} to ${formatDay('2026-12-02')} that the pool did not have.`);
    expect(bar.textContent).not.toMatch(/Blake|Avery/);
    expect(within(bar).queryByRole('button', { name: 'Go to purchases' })).toBeNull();
  });

  // Overdrawn by 40 since Dec 7 with 12.5 a day drawn: the forecast as the API answers it (core forecastPool).
  const LANDS = addDays(TODAY, 12);
  const overdrawnForecast = forecast({
    poolBalance: -40,
    zeroDate: TODAY,
    zeroDateEarliest: TODAY,
    zeroDateLatest: TODAY,
    shortBeforeIncoming: true,
    orderByDate: TODAY,
    orderNow: true,
    recommendedBlocks: 2,
    recommendedCredits: 200,
    overdraft: { credits: 40, since: OVERDRAWN_AT, coveredOn: LANDS, leadDemand: 112.5, minimumBlocks: 2 },
    incoming: [{ credits: 500, expectedDate: LANDS }],
    projection: Array.from({ length: 30 }, (_, k) => {
      const expected = -40 - 12.5 * (k + 1) + (k >= 12 ? 500 : 0);
      return { date: addDays(TODAY, k), expected, low: expected - 2 * k, high: expected + 8 * k };
    }),
    balanceHistory: [110, 60, 10, -40].map((balance, i) => ({ date: addDays(TODAY, i - 3), balance })),
  });

  it('forecasts an overdrawn pool as overdrawn: by how much and since when, what brings it back, the order due today', async () => {
    const user = userEvent.setup();
    const { api, calls } = fakeApi({
      pool: () => ({ ...overdrawn({ ...OVERDRAFT, credits: 40 }), balance: -40 }),
      poolForecast: () => overdrawnForecast,
      createPurchase: ({ body }: any) => ({
        purchase: { id: 'p-new', blocks: body.blocks, credits: body.blocks * 100, state: 'requested', reason: body.reason, quoteNumber: null, price: null, currency: null, poNumber: null, requestedBy: 'am-1', createdAt: '2026-11-02T10:00:00.000Z', updatedAt: '2026-11-02T10:00:00.000Z', steps: [] },
      }),
    });
    // The chart's lines start below zero, where the pool is, and go on from there (not clamped to zero).
    expect(forecastSeries(overdrawnForecast).expected.slice(0, 3).map((p) => p.y)).toEqual([-40, -65, -77.5]);
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    const figure = await screen.findByTestId('forecast-overdrawn');
    expect(figure.textContent).toBe('40 credits');
    expect(figure.parentElement!.textContent).toContain(`Since ${formatDateTime(OVERDRAWN_AT)}. The purchases on their way bring it back on ${formatDay(LANDS)}.`);
    expect(screen.queryByTestId('forecast-runs-out')).toBeNull();

    const warning = screen.getByText('Order now').closest('.fui-MessageBar') as HTMLElement;
    expect(warning.textContent).toContain(`The pool is overdrawn by 40 credits since ${formatDateTime(OVERDRAWN_AT)}, and a purchase takes up to 7 working days.`);
    expect(screen.getByTestId('forecast-order-by').textContent).toBe('Today');
    expect(screen.getByTestId('forecast-blocks').textContent).toBe('2 blocks');
    screen.getByText('200 credits: enough for the overdraft and the lead time, and with what is on its way the next 30 days.');
    // The chart's words say the same; nothing claims the pool runs out, shows a minus, or an ISO day.
    screen.getByText(`From 110 on ${formatDay(addDays(TODAY, -3))} to overdrawn by 40 credits today. Expected back above zero on ${formatDay(LANDS)}. Purchases land 500 credits on ${formatDay(LANDS)}.`);
    const card = figure.closest('.fui-Card') as HTMLElement;
    expect(card.textContent).not.toMatch(/runs? out|[-−]40|\d{4}-\d{2}-\d{2}/i);

    await user.click(within(warning).getByRole('button', { name: 'Start a purchase of 2 blocks' }));
    const dialog = await screen.findByRole('dialog', { name: 'New purchase' });
    await user.click(within(dialog).getByRole('button', { name: 'Start purchase' }));
    await waitFor(() => expect(calls.filter((c) => c.name === 'createPurchase')).toHaveLength(1));
    expect(calls.find((c) => c.name === 'createPurchase')!.input.body).toEqual({ blocks: 2, reason: 'Forecast: the pool is overdrawn by 40 credits' });
  });

  it('overdrawn with nobody drawing, still forecasts the order that covers it; covered by what is on its way, nothing more to buy', async () => {
    const idle = { ...NO_HISTORY, poolBalance: -40, orderByDate: TODAY, orderNow: true, recommendedBlocks: 1, recommendedCredits: 100, overdraft: { credits: 40, since: null, coveredOn: null, leadDemand: 0, minimumBlocks: 1 } };
    const { api } = fakeApi({ pool: () => ({ ...overdrawn({ ...OVERDRAFT, credits: 40 }), balance: -40 }), poolForecast: () => idle });
    const first = renderWithApp(<PoolPage />, { api, me: EMPLOYEE_ME });
    expect((await screen.findByTestId('forecast-overdrawn')).parentElement!.textContent).toContain('Nothing on its way covers it.');
    expect(screen.queryByText(/The forecast starts once the pool has been drawn on/)).toBeNull();
    expect(screen.getByTestId('forecast-blocks').textContent).toBe('1 block');
    screen.getByText(/Ask an account manager to order more credits/);
    first.unmount();

    const covered = { ...overdrawnForecast, orderNow: false, orderByDate: addDays(TODAY, 20), recommendedBlocks: 0, recommendedCredits: 0, overdraft: { ...overdrawnForecast.overdraft!, coveredOn: addDays(TODAY, 2), minimumBlocks: 0 } };
    const { api: api2 } = fakeApi({ pool: () => ({ ...overdrawn({ ...OVERDRAFT, credits: 40 }), balance: -40 }), poolForecast: () => covered });
    renderWithApp(<PoolPage />, { api: api2, me: MANAGER_ME });
    expect((await screen.findByTestId('forecast-blocks')).textContent).toBe('Nothing more to buy');
    screen.getByText('The purchases on their way cover the overdraft and the next 30 days.');
    expect(screen.queryByText('The pool runs out before the purchase on its way')).toBeNull();
  });

  it('warns when the pool is under the share of the last purchase', async () => {
    expect(isPoolLow({ balance: 150, lots: LOTS }, 20)).toEqual({ low: true, threshold: 200 });
    expect(isPoolLow({ balance: 250, lots: LOTS }, 20).low).toBe(false);
    expect(isPoolLow({ balance: 0, lots: [] }, 20).low).toBe(false);

    const { api } = fakeApi({ pool: () => ({ balance: 150, lots: LOTS, eligibleMembers: 0, recentDraws: [] }), poolForecast: () => NO_HISTORY });
    const manager = renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    await screen.findByText('The pool is low');
    screen.getByText(/Nobody has drawn on the pool yet/);
    screen.getByRole('button', { name: 'Go to purchases' });
    manager.unmount();

    // Purchases are the account managers' page: an employee is told who orders, not sent where they cannot go.
    renderWithApp(<PoolPage />, { api, me: EMPLOYEE_ME });
    await screen.findByText('The pool is low');
    screen.getByText(/The account managers order more\./);
    expect(screen.queryByRole('button', { name: 'Go to purchases' })).toBeNull();
  });

  it('does not ask for an order when the purchases on their way cover a low pool, and does when they do not', async () => {
    // 150 left, under 20% of the last purchase (200); 300 on their way from 4 November, before the pool runs out.
    const coming = forecast({ poolBalance: 150, incoming: [{ credits: 100, expectedDate: '2026-11-04' }, { credits: 200, expectedDate: '2026-11-09' }] });
    const { api, calls } = fakeApi({ pool: () => pool(150), poolForecast: () => coming });
    const { unmount } = renderWithApp(<PoolPage />, { api, me: MANAGER_ME });
    await screen.findByText('The pool is low; purchases are on their way');
    screen.getByText(new RegExp(`300 credits are on their way, the first expected on ${formatDay('2026-11-04')}`));
    expect(screen.queryByText('The pool is low')).toBeNull();
    // One forecast for the whole page.
    expect(calls.filter((c) => c.name === 'poolForecast')).toHaveLength(1);
    unmount();

    // The forecast sees the pool run out before they land: the warning, with the way to purchases.
    const late = fakeApi({ pool: () => pool(150), poolForecast: () => ({ ...coming, shortBeforeIncoming: true }) });
    const second = renderWithApp(<PoolPage />, { api: late.api, me: MANAGER_ME });
    await screen.findByText('The pool is low');
    expect(screen.queryByText('The pool is low; purchases are on their way')).toBeNull();
    second.unmount();

    // Too little on its way to reach the line: the warning too.
    const small = fakeApi({ pool: () => pool(150), poolForecast: () => forecast({ poolBalance: 150, incoming: [{ credits: 20, expectedDate: '2026-11-04' }] }) });
    renderWithApp(<PoolPage />, { api: small.api, me: MANAGER_ME });
    await screen.findByText('The pool is low');
  });

  it('says how to fill an empty pool, and retries failed loads of the pool and the forecast', async () => {
    const user = userEvent.setup();
    let fail = true;
    const navigated: string[] = [];
    const { api } = fakeApi({
      pool: () => (fail ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : { balance: 0, lots: [], eligibleMembers: 0, recentDraws: [] }),
      poolForecast: () => (fail ? new ApiError(503, 'STORAGE_UNAVAILABLE', 'Storage is busy.') : { ...NO_HISTORY, poolBalance: 0 }),
    });
    renderWithApp(<PoolPage />, { api, me: MANAGER_ME, navigate: (page) => navigated.push(page) });
    await screen.findByText('The forecast did not load');
    screen.getByText('The pool did not load');
    fail = false;
    for (const retry of screen.getAllByRole('button', { name: 'Try again' })) await user.click(retry);
    await screen.findByText(/No purchases applied yet/);
    await screen.findByText(/The forecast starts once the pool has been drawn on/);
    expect(screen.queryByText('The forecast did not load')).toBeNull();
    await user.click(screen.getByText('Start a purchase'));
    expect(navigated).toEqual(['purchases']);
  });

  it('tells an employee who fills an empty pool instead of a link to a page they cannot open', async () => {
    const { api } = fakeApi({ pool: () => ({ balance: 0, lots: [], eligibleMembers: 0, recentDraws: [] }), poolForecast: () => ({ ...NO_HISTORY, poolBalance: 0 }) });
    renderWithApp(<PoolPage />, { api, me: EMPLOYEE_ME });
    const empty = await screen.findByText(/No purchases applied yet/);
    expect(empty.textContent).toContain('The account managers order the first.');
    expect(screen.queryByText('Start a purchase')).toBeNull();
  });
});
