// The delete options every resource of this package accepts, as Pulumi inputs (documented in the README).
import type * as pulumi from "@pulumi/pulumi";

/** A time-to-live: ECS hands it to the cloud (auto-release); MongoDB and Redis carry it as the pulumi:expires-at tag for `alicloud-release sweep --expired`. */
export interface TimeToLiveArgs {
  /** When the environment ends: an ISO-8601 time, e.g. "2026-12-24T18:00:00Z". */
  expiresAt?: pulumi.Input<string>;
  /** How long the environment lives from create (or from when this changes): "30m", "4h", "2d", "1h30m". */
  timeToLive?: pulumi.Input<string>;
}

/** Every resource also takes a time-to-live (TimeToLiveArgs). */
export interface DeleteOptionArgs extends TimeToLiveArgs {
  /** An unexpired subscription: "fail" (default) or "retain" (drop it from state, leave it until it expires). */
  onSubscription?: pulumi.Input<"fail" | "retain">;
  /** Turn deletion/release protection off right before releasing. Default false. */
  overrideProtection?: pulumi.Input<boolean>;
  /** One deadline for the whole delete, in seconds (every wait and retry included). Default 1200. */
  deleteTimeoutSeconds?: pulumi.Input<number>;
}
