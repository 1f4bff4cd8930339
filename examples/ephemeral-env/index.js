// @ts-check
// An ephemeral environment whose `destroy` goes through every release path of pulumi-alicloud-release:
//   bastion       ecs.Instance, release protection on, turned off at destroy by overrideProtection
//   build-runner  ecs.Instance released with force (no graceful stop)
//   web           ecs.Instance, the ordinary stop-then-release path
//   workers       ecs.InstanceSet of `workerCount` instances, released in batched DeleteInstances calls
//   licensed      ecs.Instance on subscription (PrePaid): released once expired (TerminateSubscription)
//   sessions-db   mongodb.Instance, pay-as-you-go: DeleteDBInstance
//   reporting-db  mongodb.Instance on subscription: released after expiry, once locked, with DestroyInstance
//   cache         redis.Instance, password from secret config, purged from the recycle bin on destroy
// Config (`pulumi config set …`, or --config with the local engine): alicloud:region, vSwitchId, securityGroupId,
// zoneId, redisPassword (secret); optional imageId, instanceType, workerCount, mongoClass, mongoStorage,
// redisClass, overrideProtection (default true), subscriptions (default true). Credentials come from the
// environment (ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET) or alicloud:accessKey/secretKey.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { ecs, mongodb, redis } = require("pulumi-alicloud-release");

const cfg = new pulumi.Config();
const env = `${pulumi.getProject()}-${pulumi.getStack()}`;
const tags = { environment: env, "managed-by": "pulumi" };
const overrideProtection = cfg.getBoolean("overrideProtection") ?? true;
const subscriptions = cfg.getBoolean("subscriptions") ?? true;

const launch = {
  imageId: cfg.get("imageId") ?? "ubuntu_22_04_x64_20G_alibase_20240926.vhd",
  instanceType: cfg.get("instanceType") ?? "ecs.g7.large",
  vSwitchId: cfg.require("vSwitchId"),
  securityGroupId: cfg.require("securityGroupId"),
  tags,
};
const mongo = {
  engineVersion: "7.0",
  dbInstanceClass: cfg.get("mongoClass") ?? "dds.mongo.mid",
  dbInstanceStorage: cfg.getNumber("mongoStorage") ?? 20,
  vSwitchId: launch.vSwitchId,
  zoneId: cfg.require("zoneId"),
};

const cache = new redis.Instance("cache", {
  instanceClass: cfg.get("redisClass") ?? "redis.master.small.default",
  engineVersion: "7.0",
  vSwitchId: launch.vSwitchId,
  zoneId: mongo.zoneId,
  instanceName: `${env}-cache`,
  password: cfg.requireSecret("redisPassword"),
  purgeRecycleBin: true,
});
const sessionsDb = new mongodb.Instance("sessions-db", { ...mongo, dbInstanceDescription: `${env} sessions` });

const bastion = new ecs.Instance("bastion", { ...launch, instanceName: `${env}-bastion`, deletionProtection: true, overrideProtection });
const buildRunner = new ecs.Instance("build-runner", { ...launch, instanceName: `${env}-build-runner`, force: true });
// The app tier goes before the data it uses: on destroy, web and the workers are released first.
const web = new ecs.Instance("web", { ...launch, instanceName: `${env}-web` }, { dependsOn: [cache, sessionsDb] });
const workers = new ecs.InstanceSet("workers", { ...launch, instanceName: `${env}-worker`, amount: cfg.getNumber("workerCount") ?? 12 }, { dependsOn: [cache, sessionsDb] });

/** @type {Record<string, pulumi.Output<string>>} */
const subscriptionIds = {};
if (subscriptions) {
  const licensed = new ecs.Instance("licensed", { ...launch, instanceName: `${env}-licensed`, instanceChargeType: "PrePaid", period: 1 });
  const reportingDb = new mongodb.Instance("reporting-db", { ...mongo, chargeType: "PrePaid", period: 1, dbInstanceDescription: `${env} reporting` });
  subscriptionIds.licensedId = licensed.instanceId;
  subscriptionIds.reportingDbId = reportingDb.dbInstanceId;
}

module.exports = {
  bastionId: bastion.instanceId,
  buildRunnerId: buildRunner.instanceId,
  webId: web.instanceId,
  workerIds: workers.instanceIds,
  sessionsDbId: sessionsDb.dbInstanceId,
  cacheId: cache.instanceId,
  cacheEndpoint: cache.connectionDomain,
  ...subscriptionIds,
};
