// @ts-check
// A real ephemeral environment: its own network from @pulumi/alicloud, the instances from pulumi-alicloud-release,
// and one instance kept on @pulumi/alicloud but released by this package (withRelease). `destroy` releases every
// instance and waits until it is gone, so the network around them deletes on the first call.
//   network       vpc.Network, vpc.Switch ×2 (app: ECS zone; data: MongoDB/Redis zone), ecs.SecurityGroup (@pulumi/alicloud)
//   bastion       ecs.Instance, release protection on, turned off at destroy by overrideProtection
//   build-runner  ecs.Instance released with force (no graceful stop)
//   web           ecs.Instance, the ordinary stop-then-release path
//   workers       ecs.InstanceSet of `workerCount` instances, released in batched DeleteInstances calls
//   legacy-api    alicloud.ecs.Instance (@pulumi/alicloud), released by this package through withRelease
//   licensed      ecs.Instance on subscription (PrePaid): released once expired (TerminateSubscription)
//   sessions-db   mongodb.Instance, pay-as-you-go: DeleteDBInstance
//   reporting-db  mongodb.Instance on subscription: released after expiry, once locked, with DestroyInstance
//   cache         redis.Instance, password from secret config, purged from the recycle bin on destroy
// Config (`pulumi config set …`, or --config with the local engine): alicloud:region, redisPassword (secret);
// optional appZoneId (<region>-b), dataZoneId (<region>-h), vpcCidr (172.16.0.0/16), imageId, instanceType,
// workerCount (12), mongoClass, mongoStorage, redisClass, overrideProtection (true), subscriptions (true).
// Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET) or
// alicloud:accessKey/secretKey.
"use strict";
const pulumi = require("@pulumi/pulumi");
const alicloud = require("@pulumi/alicloud");
const { ecs, mongodb, redis, withRelease } = require("pulumi-alicloud-release");

const cfg = new pulumi.Config();
const region = new pulumi.Config("alicloud").require("region");
const env = `${pulumi.getProject()}-${pulumi.getStack()}`;
const tags = { environment: env, "managed-by": "pulumi" };
const overrideProtection = cfg.getBoolean("overrideProtection") ?? true;
const subscriptions = cfg.getBoolean("subscriptions") ?? true;
const appZoneId = cfg.get("appZoneId") ?? `${region}-b`;
const dataZoneId = cfg.get("dataZoneId") ?? `${region}-h`;

// The network, with @pulumi/alicloud as most programs have it.
const vpc = new alicloud.vpc.Network("vpc", { vpcName: env, cidrBlock: cfg.get("vpcCidr") ?? "172.16.0.0/16", tags });
const appSwitch = new alicloud.vpc.Switch("app-vsw", { vpcId: vpc.id, zoneId: appZoneId, cidrBlock: "172.16.1.0/24", vswitchName: `${env}-app` });
const dataSwitch = new alicloud.vpc.Switch("data-vsw", { vpcId: vpc.id, zoneId: dataZoneId, cidrBlock: "172.16.2.0/24", vswitchName: `${env}-data` });
const sg = new alicloud.ecs.SecurityGroup("sg", { vpcId: vpc.id, securityGroupName: env, tags });

const launch = {
  imageId: cfg.get("imageId") ?? "ubuntu_22_04_x64_20G_alibase_20240926.vhd",
  instanceType: cfg.get("instanceType") ?? "ecs.g7.large",
  vSwitchId: appSwitch.id,
  securityGroupId: sg.id,
  tags,
};
const mongo = {
  engineVersion: "7.0",
  dbInstanceClass: cfg.get("mongoClass") ?? "dds.mongo.mid",
  dbInstanceStorage: cfg.getNumber("mongoStorage") ?? 20,
  vpcId: vpc.id,
  vSwitchId: dataSwitch.id,
  zoneId: dataZoneId,
};

const cache = new redis.Instance("cache", {
  instanceClass: cfg.get("redisClass") ?? "redis.master.small.default",
  engineVersion: "7.0",
  vpcId: vpc.id,
  vSwitchId: dataSwitch.id,
  zoneId: dataZoneId,
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

// Written with @pulumi/alicloud and left so: the one line `withRelease(…)` instead of `new …` has this package release it.
const legacyApi = withRelease(alicloud.ecs.Instance, "legacy-api", {
  imageId: launch.imageId,
  instanceType: launch.instanceType,
  vswitchId: appSwitch.id,
  securityGroups: [sg.id],
  instanceName: `${env}-legacy-api`,
  tags,
});

/** @type {Record<string, pulumi.Output<string>>} */
const subscriptionIds = {};
if (subscriptions) {
  const licensed = new ecs.Instance("licensed", { ...launch, instanceName: `${env}-licensed`, instanceChargeType: "PrePaid", period: 1 });
  const reportingDb = new mongodb.Instance("reporting-db", { ...mongo, chargeType: "PrePaid", period: 1, dbInstanceDescription: `${env} reporting` });
  subscriptionIds.licensedId = licensed.instanceId;
  subscriptionIds.reportingDbId = reportingDb.dbInstanceId;
}

module.exports = {
  vpcId: vpc.id,
  vSwitchIds: [appSwitch.id, dataSwitch.id],
  securityGroupId: sg.id,
  bastionId: bastion.instanceId,
  buildRunnerId: buildRunner.instanceId,
  webId: web.instanceId,
  workerIds: workers.instanceIds,
  legacyApiId: legacyApi.id,
  sessionsDbId: sessionsDb.dbInstanceId,
  cacheId: cache.instanceId,
  cacheEndpoint: cache.connectionDomain,
  ...subscriptionIds,
};
