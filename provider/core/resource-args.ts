// The delete options every resource of this package accepts, as Pulumi inputs (documented in the README).
import type * as pulumi from "@pulumi/pulumi";

export interface DeleteOptionArgs {
  /** An unexpired subscription: "fail" (default) or "retain" (drop it from state, leave it until it expires). */
  onSubscription?: pulumi.Input<"fail" | "retain">;
  /** Turn deletion/release protection off right before releasing. Default false. */
  overrideProtection?: pulumi.Input<boolean>;
  /** One deadline for the whole delete, in seconds (every wait and retry included). Default 1200. */
  deleteTimeoutSeconds?: pulumi.Input<number>;
}
