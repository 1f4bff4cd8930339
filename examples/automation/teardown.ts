// Tears down an ephemeral environment: `alicloud-release destroy` (pulumi-alicloud-release/automation) run from
// this repository.
//
//   PULUMI_CONFIG_PASSPHRASE=… npm run teardown -- --cwd <project dir> --stack <name> [--backend file:///path]
//       [--parallel N] [--region R …]
//
// The destroy, its report and the sweep live in the package (provider/automation); this example only runs them.
import { main as cli } from "../../provider/automation";

export { destroy as teardown } from "../../provider/automation";

export function main(argv: string[]): Promise<number> {
  return cli(["destroy", ...argv]);
}
