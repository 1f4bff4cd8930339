// ECS (2014-05-26): instances with their documented lifecycle, release rules and error answers.
import { endpointHost, ProductBackend } from "../core/product";
import { ECS_ACTIONS } from "./actions";
import { ECS_ERRORS } from "./errors";
import { addLock, expireAt } from "./model";
import { SINGLE_INSTANCE_ACTIONS } from "./single-instance";

export function ecsBackend(): ProductBackend {
  return {
    name: "ecs",
    productCode: "Ecs",
    version: "2014-05-26",
    hostId: "ecs.aliyuncs.com",
    regionalHostId: endpointHost("ecs"),
    durations: {
      "ecs.pending": { seconds: 10, what: "RunInstances: Pending → Starting; CreateInstance: Pending → Stopped" },
      "ecs.starting": { seconds: 15, what: "Starting → Running (after RunInstances or StartInstance)" },
      "ecs.stopping": { seconds: 20, what: "StopInstance(s): Stopping → Stopped (graceful stop)" },
      "ecs.forceStopping": { seconds: 3, what: "StopInstance(s) with ForceStop=true: Stopping → Stopped; also cuts short a graceful stop in progress" },
      "ecs.release": { seconds: 10, what: "DeleteInstance(s) accepted → instance no longer listed" },
      "ecs.gracefulRelease": { seconds: 60, what: "DeleteInstance(s) Force=true, ForceStop=false on a Running instance: OS shutdown (Stopping), then gone" },
    },
    errors: ECS_ERRORS,
    actions: { ...ECS_ACTIONS, ...SINGLE_INSTANCE_ACTIONS },
    releaseActions: ["DeleteInstance", "DeleteInstances"],
    expire(instance, ctx) {
      expireAt(ctx, instance, ctx.clock.now());
    },
    lock(instance, reason) {
      addLock(instance, reason);
    },
  };
}
