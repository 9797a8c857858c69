// Group commit: the writes that arrive while one batch is being written wait and are
// written together as the next batch. No timer: an idle instance writes a lone item at
// once, a busy one writes as many per transaction as arrived meanwhile (up to `maxBatch`),
// so the cost per item falls as load rises instead of the queue growing. If a batch fails,
// its items are retried one by one, so one bad item fails only itself.
export class GroupCommit<I, O> {
  private waiting: Array<{ item: I; resolve(outcome: O): void; reject(error: unknown): void }> = [];
  private running = 0;
  constructor(
    /** Writes a batch; answers one outcome per item, in order. */
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 250,
    /** Batches written at once (more than one overlaps a batch's database time with the next one's preparation). */
    private readonly maxConcurrent = 2,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.running < this.maxConcurrent && this.waiting.length) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(batch: GroupCommit<I, O>["waiting"]) {
    try {
      const outcomes = await this.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(outcomes[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const w of batch) {
        try {
          w.resolve((await this.write([w.item]))[0]);
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }
}
