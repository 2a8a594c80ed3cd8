import { RatePacer } from '../../lambda/rate-pacer';

const SETTINGS = { ceiling: 1, floor: 0.05, decrease: 0.5, increase: 0.1, burst: 3 };

/** A pacer on a clock the test moves. */
function pacerAt(start = 1_000_000) {
  let now = start;
  const pacer = new RatePacer(SETTINGS, () => now);
  return { pacer, advance: (ms: number) => (now += ms) };
}

describe('RatePacer', () => {
  test("a lone event's calls go at once; the calls after them go at the ceiling", () => {
    const { pacer } = pacerAt();
    expect([pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 0, 0]);
    expect([pacer.reserve(), pacer.reserve()]).toEqual([1_000, 2_000]);
  });

  test('a quiet spell gives the burst back, never more than the burst', () => {
    const { pacer, advance } = pacerAt();
    [1, 2, 3, 4].forEach(() => pacer.reserve());
    advance(60_000);
    expect([pacer.reserve(), pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 0, 0, 1_000]);
  });

  test('a throttle cuts the pace by its share and leaves the quota one interval at the new pace to refill', () => {
    const { pacer } = pacerAt();
    pacer.throttled();
    expect(pacer.requestsPerSecond).toBe(0.5);
    expect(pacer.reserve()).toBe(2_000);
  });

  test('served calls bring the pace back, never above the ceiling; throttles never take it below the floor', () => {
    const { pacer } = pacerAt();
    for (let i = 0; i < 20; i++) pacer.throttled();
    expect(pacer.requestsPerSecond).toBe(0.05);
    for (let i = 0; i < 5; i++) pacer.served();
    expect(pacer.requestsPerSecond).toBeCloseTo(0.55);
    for (let i = 0; i < 100; i++) pacer.served();
    expect(pacer.requestsPerSecond).toBe(1);
  });
});
