// zeromq 6 allows one send in flight per socket; this queues sends in order.
export interface Sendable {
  send(frames: Buffer[]): Promise<void>;
}

export class Outbox {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Sendable,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  send(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(() => this.socket.send(frames)).catch(this.onError);
    return this.tail;
  }

  /** Resolves when everything queued so far has been handed to zeromq. */
  drain(): Promise<void> {
    return this.tail;
  }
}
