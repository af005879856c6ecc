import { decideVehicleCalendar, VehicleCalendarCommand, VehicleUnavailableError } from './vehicle-calendar.decider';
import { evolveVehicleCalendar, initialVehicleCalendarState, VehicleCalendarEvent } from './vehicle-calendar.events';

const now = new Date('2026-03-01T10:00:00.000Z');
const at = now.toISOString();
const april1to5 = { start_date: '2026-04-01', end_date: '2026-04-05' };

const held = (rental_id: string, rental_revision: number, dates = april1to5): VehicleCalendarEvent => ({
  type: 'VehicleDatesHeld',
  data: { rental_id, rental_revision, ...dates, held_at: at },
});
const released = (rental_id: string, rental_revision: number, dates = april1to5): VehicleCalendarEvent => ({
  type: 'VehicleDatesReleased',
  data: { rental_id, rental_revision, ...dates, released_at: at },
});
const hold = (rentalId: string, rentalRevision: number, dates = april1to5): VehicleCalendarCommand => ({
  type: 'HoldDates',
  data: { rentalId, rentalRevision, dates, now },
});
const settle = (rentalId: string, rentalRevision: number, occupied: typeof april1to5 | null): VehicleCalendarCommand => ({
  type: 'SettleRental',
  data: { rentalId, rentalRevision, occupied, now },
});

const given = (history: VehicleCalendarEvent[]) => {
  const state = history.reduce(evolveVehicleCalendar, initialVehicleCalendarState());
  return { when: (command: VehicleCalendarCommand) => () => decideVehicleCalendar(command, state) };
};

describe('vehicle calendar decider', () => {
  describe('when free', () => {
    it('holds the dates for the rental at the revision its write read', () =>
      expect(given([]).when(hold('re_a', 0))()).toEqual([held('re_a', 0)]));
  });

  describe('when another rental holds some of the days', () => {
    const history = [held('re_a', 0)];

    it.each([
      ['the same days', april1to5],
      ['an overlap at the start', { start_date: '2026-03-28', end_date: '2026-04-01' }],
      ['a range inside', { start_date: '2026-04-02', end_date: '2026-04-03' }],
      ['a same-day turnaround on the return day', { start_date: '2026-04-05', end_date: '2026-04-09' }],
    ])('refuses %s as vehicle_unavailable, naming the holder', (_label, dates) => {
      const decide = given(history).when(hold('re_b', 0, dates));
      expect(decide).toThrow(VehicleUnavailableError);
      expect(decide).toThrow(expect.objectContaining({ status: 409, code: 'vehicle_unavailable' }));
      try {
        decide();
      } catch (error) {
        expect((error as VehicleUnavailableError).holders.map((h) => h.rental_id)).toEqual(['re_a']);
      }
    });

    it('holds days that do not touch', () =>
      expect(given(history).when(hold('re_b', 3, { start_date: '2026-04-06', end_date: '2026-04-08' }))()).toHaveLength(1));

    it('holds again for a released rental', () =>
      expect(given([...history, released('re_a', 0)]).when(hold('re_b', 0))()).toEqual([held('re_b', 0)]));
  });

  describe('when the rental itself holds the days', () => {
    it('is a no-op at the same revision: a retried write completes', () =>
      expect(given([held('re_a', 2)]).when(hold('re_a', 2))()).toEqual([]));

    it('re-tags the hold at a newer revision, and may add new days to its own', () => {
      expect(given([held('re_a', 2)]).when(hold('re_a', 3))()).toEqual([held('re_a', 3)]);
      const later = { start_date: '2026-04-03', end_date: '2026-04-08' };
      expect(given([held('re_a', 2)]).when(hold('re_a', 3, later))()).toEqual([held('re_a', 3, later)]);
    });
  });

  describe('when settling a rental', () => {
    const later = { start_date: '2026-04-10', end_date: '2026-04-12' };

    it('releases holds of older revisions the rental no longer occupies', () =>
      expect(given([held('re_a', 0), held('re_a', 1, later)]).when(settle('re_a', 2, later))()).toEqual([released('re_a', 0)]));

    it('keeps the hold of the days it occupies', () => expect(given([held('re_a', 0)]).when(settle('re_a', 1, april1to5))()).toEqual([]));

    it('releases everything of a cancelled or completed rental', () =>
      expect(given([held('re_a', 0)]).when(settle('re_a', 3, null))()).toEqual([released('re_a', 0)]));

    it('keeps a hold at the current revision: its write may still be in flight', () =>
      expect(given([held('re_a', 4)]).when(settle('re_a', 4, null))()).toEqual([]));

    it("never touches another rental's holds", () => expect(given([held('re_b', 0)]).when(settle('re_a', 9, null))()).toEqual([]));
  });
});
