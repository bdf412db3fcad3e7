/**
 * Built-in offline answers for the data sources programs call most, shaped as the providers'
 * SDKs return them (the result types of @pulumi/aws, @pulumi/gcp, @pulumi/azure and
 * @pulumi/azure-native). Identifiers are made up but well-formed (the account id is the one AWS
 * documentation uses, 123456789012). What a real lookup would return and portguard cannot know
 * (the CIDR of a VPC or subnet found by filter, an SSM parameter's value) is the engine's
 * unknown sentinel, so the pack names what depends on it instead of judging a made-up value.
 * The AWS default VPC's CIDR, 172.31.0.0/16, is what AWS documents for every default VPC.
 */

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface InvokeContext {
    /** Config values as the program sees them (`aws:region`, `gcp:project`, ...). */
    config: Record<string, string>;
}

type Answer = (inputs: Record<string, any>, ctx: InvokeContext) => Record<string, unknown>;

function awsRegion(inputs: Record<string, any>, ctx: InvokeContext): string {
    return (typeof inputs.region === "string" && inputs.region) || ctx.config["aws:region"] || "us-east-1";
}

const ACCOUNT = "123456789012";

function hex(seed: string, n: number): string {
    let h = 2166136261;
    let out = "";
    while (out.length < n) {
        for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
        out += h.toString(16).padStart(8, "0");
        seed += "+";
    }
    return out.slice(0, n);
}

function filterName(inputs: Record<string, any>): string {
    return JSON.stringify([inputs.filters ?? inputs.filter ?? null, inputs.tags ?? null, inputs.id ?? null, inputs.name ?? null]);
}

const AWS: Record<string, Answer> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, ctx) => {
        const region = awsRegion(inputs, ctx);
        const letters = ["a", "b", "c"];
        return {
            id: region,
            names: letters.map((l) => `${region}${l}`),
            zoneIds: letters.map((_, i) => `${region.replace(/-/g, "").slice(0, 3)}${region.split("-").pop()}-az${i + 1}`),
            groupNames: [region],
            state: inputs.state ?? "available",
            ...(inputs.allAvailabilityZones !== undefined ? { allAvailabilityZones: inputs.allAvailabilityZones } : {}),
            ...(inputs.filters ? { filters: inputs.filters } : {}),
            ...(inputs.excludeNames ? { excludeNames: inputs.excludeNames } : {}),
            ...(inputs.excludeZoneIds ? { excludeZoneIds: inputs.excludeZoneIds } : {}),
        };
    },
    "aws:index/getRegion:getRegion": (inputs, ctx) => {
        const region = (typeof inputs.name === "string" && inputs.name) || awsRegion(inputs, ctx);
        return { id: region, name: region, region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: ACCOUNT,
        accountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/portguard-check`,
        userId: "AIDAPORTGUARDCHECK0000",
    }),
    "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
    "aws:ec2/getVpc:getVpc": (inputs, ctx) => {
        const region = awsRegion(inputs, ctx);
        const id = typeof inputs.id === "string" && inputs.id ? inputs.id : `vpc-${hex(filterName(inputs), 17)}`;
        const isDefault = inputs.default === true;
        return {
            id,
            arn: `arn:aws:ec2:${region}:${ACCOUNT}:vpc/${id}`,
            cidrBlock: isDefault ? "172.31.0.0/16" : (inputs.cidrBlock ?? UNKNOWN),
            cidrBlockAssociations: [],
            default: isDefault,
            dhcpOptionsId: `dopt-${hex(id, 17)}`,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            enableNetworkAddressUsageMetrics: false,
            instanceTenancy: "default",
            ipv6AssociationId: "",
            ipv6CidrBlock: "",
            mainRouteTableId: `rtb-${hex(id, 17)}`,
            ownerId: ACCOUNT,
            region,
            state: "available",
            tags: inputs.tags ?? {},
            ...(inputs.filters ? { filters: inputs.filters } : {}),
        };
    },
    "aws:ec2/getVpcs:getVpcs": (inputs) => ({ id: "vpcs", ids: [`vpc-${hex(filterName(inputs), 17)}`], ...(inputs.filters ? { filters: inputs.filters } : {}) }),
    "aws:ec2/getSubnets:getSubnets": (inputs, ctx) => {
        const seed = filterName(inputs);
        return { id: awsRegion(inputs, ctx), ids: [0, 1, 2].map((i) => `subnet-${hex(`${seed}${i}`, 17)}`), ...(inputs.filters ? { filters: inputs.filters } : {}), ...(inputs.tags ? { tags: inputs.tags } : {}) };
    },
    "aws:ec2/getSubnetIds:getSubnetIds": (inputs) => {
        const seed = filterName(inputs);
        return { id: inputs.vpcId ?? "subnets", vpcId: inputs.vpcId ?? UNKNOWN, ids: [0, 1, 2].map((i) => `subnet-${hex(`${seed}${i}`, 17)}`) };
    },
    "aws:ec2/getSubnet:getSubnet": (inputs, ctx) => {
        const region = awsRegion(inputs, ctx);
        const id = typeof inputs.id === "string" && inputs.id ? inputs.id : `subnet-${hex(filterName(inputs), 17)}`;
        return {
            id,
            arn: `arn:aws:ec2:${region}:${ACCOUNT}:subnet/${id}`,
            availabilityZone: inputs.availabilityZone ?? `${region}a`,
            availabilityZoneId: `${region.replace(/-/g, "").slice(0, 3)}${region.split("-").pop()}-az1`,
            cidrBlock: inputs.cidrBlock ?? UNKNOWN,
            ipv6CidrBlock: "",
            assignIpv6AddressOnCreation: false,
            defaultForAz: inputs.defaultForAz ?? false,
            mapPublicIpOnLaunch: false,
            ownerId: ACCOUNT,
            state: "available",
            vpcId: inputs.vpcId ?? `vpc-${hex(id, 17)}`,
            tags: inputs.tags ?? {},
            ...(inputs.filters ? { filters: inputs.filters } : {}),
        };
    },
    "aws:ec2/getAmi:getAmi": (inputs, ctx) => {
        const region = awsRegion(inputs, ctx);
        const id = `ami-${hex(filterName(inputs) + JSON.stringify(inputs.owners ?? null), 17)}`;
        return {
            id,
            imageId: id,
            arn: `arn:aws:ec2:${region}::image/${id}`,
            architecture: "x86_64",
            name: "portguard-check-image",
            description: "",
            imageOwnerAlias: "amazon",
            ownerId: ACCOUNT,
            platform: "",
            platformDetails: "Linux/UNIX",
            public: true,
            rootDeviceName: "/dev/xvda",
            rootDeviceType: "ebs",
            state: "available",
            virtualizationType: "hvm",
            blockDeviceMappings: [],
            productCodes: [],
            tags: {},
            mostRecent: inputs.mostRecent ?? false,
            owners: inputs.owners ?? [],
            ...(inputs.filters ? { filters: inputs.filters } : {}),
        };
    },
    "aws:ssm/getParameter:getParameter": (inputs, ctx) => {
        const name = String(inputs.name ?? "");
        const region = awsRegion(inputs, ctx);
        // The public AMI-alias parameters hold an image id; anything else is unknown offline.
        const value = name.startsWith("/aws/service/") && /ami/.test(name) ? `ami-${hex(name, 17)}` : UNKNOWN;
        return { id: name, name, arn: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name.startsWith("/") ? "" : "/"}${name}`, type: "String", value, insecureValue: value, version: 1, withDecryption: inputs.withDecryption ?? true };
    },
};

const GCP: Record<string, Answer> = {
    "gcp:organizations/getProject:getProject": (inputs, ctx) => {
        const projectId = inputs.projectId ?? ctx.config["gcp:project"] ?? "portguard-check";
        return { id: `projects/${projectId}`, projectId, name: projectId, number: "123456789012", orgId: "", folderId: "", labels: {}, autoCreateNetwork: true };
    },
    "gcp:organizations/getClientConfig:getClientConfig": (_inputs, ctx) => ({
        id: "portguard-check",
        accessToken: UNKNOWN,
        project: ctx.config["gcp:project"] ?? "portguard-check",
        region: ctx.config["gcp:region"] ?? "us-central1",
        zone: ctx.config["gcp:zone"] ?? "us-central1-a",
    }),
    "gcp:compute/getZones:getZones": (inputs, ctx) => {
        const region = inputs.region ?? ctx.config["gcp:region"] ?? "us-central1";
        return { id: region, names: ["a", "b", "c"].map((l) => `${region}-${l}`), project: inputs.project ?? ctx.config["gcp:project"] ?? "portguard-check", region, status: inputs.status ?? "UP" };
    },
    "gcp:compute/getNetwork:getNetwork": (inputs, ctx) => {
        const project = inputs.project ?? ctx.config["gcp:project"] ?? "portguard-check";
        const name = inputs.name ?? "default";
        const selfLink = `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/${name}`;
        return { id: `projects/${project}/global/networks/${name}`, name, project, selfLink, description: "", gatewayIpv4: UNKNOWN, subnetworksSelfLinks: [], networkId: hex(selfLink, 16) };
    },
    "gcp:compute/getSubnetwork:getSubnetwork": (inputs, ctx) => {
        const project = inputs.project ?? ctx.config["gcp:project"] ?? "portguard-check";
        const region = inputs.region ?? ctx.config["gcp:region"] ?? "us-central1";
        const name = inputs.name ?? "default";
        return {
            id: `projects/${project}/regions/${region}/subnetworks/${name}`,
            name,
            project,
            region,
            selfLink: inputs.selfLink ?? `https://www.googleapis.com/compute/v1/projects/${project}/regions/${region}/subnetworks/${name}`,
            ipCidrRange: UNKNOWN,
            network: `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/default`,
            gatewayAddress: UNKNOWN,
            privateIpGoogleAccess: false,
            secondaryIpRanges: [],
            description: "",
        };
    },
    "gcp:compute/getImage:getImage": (inputs) => {
        const project = inputs.project ?? "debian-cloud";
        const name = inputs.name ?? `${inputs.family ?? "debian-12"}-v20240101`;
        return { id: `projects/${project}/global/images/${name}`, name, family: inputs.family ?? "", project, selfLink: `https://www.googleapis.com/compute/v1/projects/${project}/global/images/${name}`, status: "READY", labels: {}, diskSizeGb: 10, archiveSizeBytes: 0, creationTimestamp: "2024-01-01T00:00:00.000-00:00", description: "", imageId: hex(name, 16), licenses: [], sourceDisk: "", sourceImageId: "", labelFingerprint: "" };
    },
};

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

const AZURE: Record<string, Answer> = {
    "azure-native:authorization:getClientConfig": () => ({ clientId: SUBSCRIPTION, objectId: SUBSCRIPTION, subscriptionId: SUBSCRIPTION, tenantId: SUBSCRIPTION }),
    "azure-native:resources:getResourceGroup": (inputs, ctx) => {
        const name = inputs.resourceGroupName ?? "portguard-check";
        return { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${name}`, name, location: ctx.config["azure-native:location"] ?? "westeurope", type: "Microsoft.Resources/resourceGroups", properties: { provisioningState: "Succeeded" }, tags: {} };
    },
    "azure-native:network:getVirtualNetwork": (inputs, ctx) => {
        const id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${inputs.virtualNetworkName}`;
        return { id, name: inputs.virtualNetworkName, location: ctx.config["azure-native:location"] ?? "westeurope", type: "Microsoft.Network/virtualNetworks", addressSpace: { addressPrefixes: [UNKNOWN] }, subnets: [], etag: "", provisioningState: "Succeeded", tags: {} };
    },
    "azure-native:network:getSubnet": (inputs) => ({
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${inputs.virtualNetworkName}/subnets/${inputs.subnetName}`,
        name: inputs.subnetName,
        addressPrefix: UNKNOWN,
        etag: "",
        provisioningState: "Succeeded",
        type: "Microsoft.Network/virtualNetworks/subnets",
    }),
    "azure:core/getClientConfig:getClientConfig": () => ({ id: SUBSCRIPTION, clientId: SUBSCRIPTION, objectId: SUBSCRIPTION, subscriptionId: SUBSCRIPTION, tenantId: SUBSCRIPTION }),
    "azure:core/getSubscription:getSubscription": () => ({ id: `/subscriptions/${SUBSCRIPTION}`, subscriptionId: SUBSCRIPTION, tenantId: SUBSCRIPTION, displayName: "portguard-check", state: "Enabled", locationPlacementId: "", quotaId: "", spendingLimit: "Off", tags: {} }),
    "azure:core/getResourceGroup:getResourceGroup": (inputs, ctx) => ({ id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${inputs.name}`, name: inputs.name, location: ctx.config["azure:location"] ?? "westeurope", managedBy: "", tags: {} }),
    "azure:network/getVirtualNetwork:getVirtualNetwork": (inputs, ctx) => ({
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${inputs.name}`,
        name: inputs.name,
        resourceGroupName: inputs.resourceGroupName,
        location: ctx.config["azure:location"] ?? "westeurope",
        addressSpaces: [UNKNOWN],
        dnsServers: [],
        guid: SUBSCRIPTION,
        subnets: [],
        vnetPeerings: {},
        vnetPeeringsAddresses: [],
        tags: {},
    }),
    "azure:network/getSubnet:getSubnet": (inputs) => ({
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${inputs.virtualNetworkName}/subnets/${inputs.name}`,
        name: inputs.name,
        resourceGroupName: inputs.resourceGroupName,
        virtualNetworkName: inputs.virtualNetworkName,
        addressPrefix: UNKNOWN,
        addressPrefixes: [UNKNOWN],
        networkSecurityGroupId: "",
        routeTableId: "",
        serviceEndpoints: [],
    }),
};

const ANSWERS: Record<string, Answer> = { ...AWS, ...GCP, ...AZURE };


/** The built-in answer to an invoke (by its full token), or undefined when there is none. */
export function builtInAnswer(token: string, inputs: Record<string, unknown>, ctx: InvokeContext): Record<string, unknown> | undefined {
    const answer = ANSWERS[token];
    return answer ? answer(inputs as Record<string, any>, ctx) : undefined;
}
