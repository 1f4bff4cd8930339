// The one poller. Waiting for instances to change state is most of a teardown's API calls, so every product polls
// through a list call that describes many instances at once (ECS DescribeInstances with InstanceIds, DDS
// DescribeDBInstances, R-KVStore DescribeInstances with InstanceIds), and the polls of every delete in flight in
// this provider process are merged per key (region, and whatever else the list call is scoped by) into one call:
// at --parallel 128 a wave of deletes polls with one call, not 128. A poll waits for its wave (coalescer.ts): at most
// two seconds, and only while polls keep joining (ListCall.quietMs). Two seconds are little against transitions of
// 10 s to minutes.
import { Coalescer } from "./coalescer";
import { Deadline } from "./timing";

export interface ListCall<S> {
  /** Ids one call can take. */
  maxIds: number;
  /**
   * How long a poll waits for more polls to join (cloud ms; default 1000): short where the deletes' calls go out
   * together (ECS batches them), longer where each delete's release call is its own and paced apart (DDS, R-KVStore).
   */
  quietMs?: number;
  /**
   * Describes `ids` (distinct, at most maxIds) in one call, or as few as the API allows. An id missing from the
   * answer is gone; the call runs under `deadline` (the longest of the callers it serves); `resource` names the
   * first caller's resource kind for error messages.
   */
  list(key: string, ids: string[], deadline: Deadline, resource: string): Promise<Map<string, S>>;
}

interface Ask {
  id: string;
  deadline: Deadline;
  resource: string;
}

export class Poller<S> {
  private readonly coalescer: Coalescer<Ask, S | null>;

  constructor(call: ListCall<S>, windowMs = 2000) {
    this.coalescer = new Coalescer<Ask, S | null>({
      maxBatch: call.maxIds,
      windowMs,
      quietMs: call.quietMs ?? 1000,
      async run(key, asks) {
        const ids = [...new Set(asks.map((a) => a.id))];
        // A batch serves every caller in it: it may take as long as the longest of their deadlines.
        const deadline = new Deadline(Math.max(...asks.map((a) => a.deadline.remainingMs())));
        const found = await call.list(key, ids, deadline, asks[0].resource);
        return asks.map((a) => found.get(a.id) ?? null);
      },
    });
  }

  /** The state of each id; null once the list call no longer shows it. */
  async describe(key: string, ids: string[], deadline: Deadline, resource: string): Promise<Map<string, S | null>> {
    const results = await Promise.all(this.coalescer.submitAll(key, ids.map((id) => ({ id, deadline, resource }))));
    return new Map(ids.map((id, i) => [id, results[i]]));
  }
}
