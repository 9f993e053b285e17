"""Checks, through the AWS API, that what a prepared stack declares exists with its security settings.

Usage: python check.py <main.tf.json> --endpoint URL --region REGION [--snapshot OUT.json] [--same-as SNAPSHOT.json]

Everything expected is read from the configuration that was applied (main.tf.json), so the checks follow
the stack: the VPC (CIDR, DNS support and hostnames), every subnet (CIDR, zone), NAT gateways and EIPs
(exact count: zero when asleep), VPC endpoints (exact set of services), security groups (no ingress from
the internet), flow logs, every bucket (SSE-KMS with a bucket key, versioning, all public access blocks,
BucketOwnerEnforced, a TLS-only policy), every KMS key (rotation on), every IAM role, and the Unity Catalog
storage credential's role (trusted by the Unity Catalog master role and by itself, with the external id,
S3 access to exactly the data-lake buckets).

--snapshot writes the ids of the stateful resources (VPC, subnets, security groups, S3 gateway endpoint,
buckets, keys, roles); --same-as fails unless those ids are unchanged, which is how sleep and wake prove
they touched nothing stateful. Prints one line per check; exits 1 if any failed.
"""

import argparse
import json
import sys

import boto3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--snapshot")
    parser.add_argument("--same-as")
    args = parser.parse_args()

    with open(args.config, encoding="utf-8") as f:
        config = json.load(f)
    resources = config.get("resource", {})

    def declared(rtype):
        return list(resources.get(rtype, {}).values())

    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=args.region)
    client = lambda name: session.client(name, endpoint_url=args.endpoint)  # noqa: E731
    ec2, s3, kms, iam, logs = client("ec2"), client("s3"), client("kms"), client("iam"), client("logs")

    failures = []

    def check(ok, what):
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            failures.append(what)

    snapshot = {}

    # VPC
    vpc_cfg = declared("aws_vpc")[0]
    vpcs = [v for v in ec2.describe_vpcs()["Vpcs"] if v["CidrBlock"] == vpc_cfg["cidr_block"] and not v.get("IsDefault")]
    check(len(vpcs) == 1, f"one VPC {vpc_cfg['cidr_block']}")
    if not vpcs:
        return report(failures)
    vpc_id = vpcs[0]["VpcId"]
    snapshot["vpc"] = vpc_id
    in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    for attribute, key in (("enableDnsSupport", "EnableDnsSupport"), ("enableDnsHostnames", "EnableDnsHostnames")):
        value = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)[key]["Value"]
        check(value is True, f"VPC {attribute} is on")

    # Subnets
    subnets = {s["CidrBlock"]: s for s in ec2.describe_subnets(Filters=in_vpc)["Subnets"]}
    for s in declared("aws_subnet"):
        found = subnets.get(s["cidr_block"])
        check(found is not None and found["AvailabilityZone"] == s["availability_zone"], f"subnet {s['cidr_block']} in {s['availability_zone']}")
        check(found is not None and not found.get("MapPublicIpOnLaunch"), f"subnet {s['cidr_block']} does not map public IPs")
    check(len(subnets) == len(declared("aws_subnet")), f"exactly {len(declared('aws_subnet'))} subnets")
    snapshot["subnets"] = sorted(s["SubnetId"] for s in subnets.values())

    # NAT gateways and EIPs: exact counts (zero asleep)
    nats = [n for n in ec2.describe_nat_gateways(Filters=in_vpc)["NatGateways"] if n["State"] not in ("deleted", "deleting")]
    check(len(nats) == len(declared("aws_nat_gateway")), f"{len(declared('aws_nat_gateway'))} NAT gateway(s), found {len(nats)}")
    eips = ec2.describe_addresses()["Addresses"]
    check(len(eips) == len(declared("aws_eip")), f"{len(declared('aws_eip'))} Elastic IP(s), found {len(eips)}")
    routes = [r for t in ec2.describe_route_tables(Filters=in_vpc)["RouteTables"] for r in t["Routes"] if r.get("NatGatewayId")]
    nat_routes = [r for r in declared("aws_route") if "nat_gateway_id" in r]
    check(len(routes) == len(nat_routes), f"{len(nat_routes)} route(s) through NAT, found {len(routes)}")

    # VPC endpoints: the exact set of services
    endpoints = [e for e in ec2.describe_vpc_endpoints(Filters=in_vpc)["VpcEndpoints"] if e["State"].lower() not in ("deleted", "deleting")]
    want = sorted(e["service_name"] for e in declared("aws_vpc_endpoint"))
    check(sorted(e["ServiceName"] for e in endpoints) == want, f"VPC endpoints {want}")
    snapshot["s3_gateway_endpoint"] = sorted(e["VpcEndpointId"] for e in endpoints if e["VpcEndpointType"] == "Gateway")
    for e in endpoints:
        if e["VpcEndpointType"] == "Interface":
            check(e.get("PrivateDnsEnabled") is True, f"{e['ServiceName']} has private DNS")

    # Security groups: present, never open to the internet
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups(Filters=in_vpc)["SecurityGroups"]}
    for sg in declared("aws_security_group"):
        found = groups.get(sg["name"])
        check(found is not None, f"security group {sg['name']}")
        if found:
            open_ranges = [r for p in found["IpPermissions"] for r in p.get("IpRanges", []) if r.get("CidrIp") == "0.0.0.0/0"]
            check(not open_ranges, f"security group {sg['name']} has no ingress from 0.0.0.0/0")
    snapshot["security_groups"] = sorted(groups[sg["name"]]["GroupId"] for sg in declared("aws_security_group") if sg["name"] in groups)

    # Flow logs
    if declared("aws_flow_log"):
        flow_logs = [f for f in ec2.describe_flow_logs()["FlowLogs"] if f.get("ResourceId") == vpc_id]
        check(len(flow_logs) == 1, "one flow log on the VPC")
        groups_cfg = declared("aws_cloudwatch_log_group")
        names = [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"] if g.get("kmsKeyId")]
        check(all(g["name"] in names for g in groups_cfg), "flow-log group exists and is KMS-encrypted")

    # KMS keys: rotation on
    keys = [k["KeyId"] for k in kms.list_keys()["Keys"]]
    described = [kms.describe_key(KeyId=k)["KeyMetadata"] for k in keys]
    live = [k for k in described if k["KeyState"] == "Enabled"]
    check(len(live) == len(declared("aws_kms_key")), f"{len(declared('aws_kms_key'))} KMS keys, found {len(live)}")
    for k in live:
        check(kms.get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"], f"key {k.get('Description', k['KeyId'])} rotates")
    snapshot["kms_keys"] = sorted(k["KeyId"] for k in live)

    # Buckets
    existing = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    for b in declared("aws_s3_bucket"):
        name = b["bucket"]
        check(name in existing, f"bucket {name}")
        if name not in existing:
            continue
        rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
        default = rule["ApplyServerSideEncryptionByDefault"]
        check(default["SSEAlgorithm"] == "aws:kms" and default.get("KMSMasterKeyID"), f"bucket {name}: SSE-KMS with a CMK")
        check(rule.get("BucketKeyEnabled") is True, f"bucket {name}: bucket key")
        pab = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        check(all(pab[k] for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")), f"bucket {name}: public access blocked")
        check(s3.get_bucket_versioning(Bucket=name).get("Status") == "Enabled", f"bucket {name}: versioning")
        ownership = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
        check(ownership == "BucketOwnerEnforced", f"bucket {name}: ACLs disabled")
        policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
        sids = {st.get("Sid") for st in policy["Statement"]}
        check("DenyInsecureTransport" in sids, f"bucket {name}: TLS-only policy")
    snapshot["buckets"] = sorted(b["bucket"] for b in declared("aws_s3_bucket") if b["bucket"] in existing)

    # IAM roles
    roles = {r["RoleName"]: r["RoleId"] for r in iam.list_roles()["Roles"]}
    for r in declared("aws_iam_role"):
        check(r["name"] in roles, f"IAM role {r['name']}")
    snapshot["roles"] = sorted(roles[r["name"]] for r in declared("aws_iam_role") if r["name"] in roles)

    # The Unity Catalog storage credential's role: trusted by the Unity Catalog master role with the
    # credential's external id and by itself (self-assumption), allowed on the data-lake buckets and key.
    for r in declared("aws_iam_role"):
        if not r["name"].endswith("-uc-data-lake") or r["name"] not in roles:
            continue
        role = iam.get_role(RoleName=r["name"])["Role"]
        trust = role["AssumeRolePolicyDocument"]
        if isinstance(trust, str):
            trust = json.loads(trust)
        principals = [p for st in trust["Statement"] for p in _as_list(st.get("Principal", {}).get("AWS", []))]
        check(any("unity-catalog-prod-UCMasterRole" in p for p in principals), f"role {r['name']}: trusted by the Unity Catalog master role")
        # Self-assumption as the provider writes it (aws/data_aws_unity_catalog_assume_role_policy.go): the
        # account root as principal, narrowed by ArnLike aws:PrincipalArn to this role.
        self_assume = [
            st for st in trust["Statement"]
            if _as_list(st.get("Condition", {}).get("ArnLike", {}).get("aws:PrincipalArn", [])) == [role["Arn"]]
        ]
        check(len(self_assume) == 1, f"role {r['name']}: trusts itself (self-assumption)")
        external = [st.get("Condition", {}).get("StringEquals", {}).get("sts:ExternalId") for st in trust["Statement"]]
        check(all(e is not None for e in external), f"role {r['name']}: every trust statement requires the external id")
        inline = iam.list_role_policies(RoleName=r["name"])["PolicyNames"]
        buckets = set()
        for policy_name in inline:
            doc = iam.get_role_policy(RoleName=r["name"], PolicyName=policy_name)["PolicyDocument"]
            if isinstance(doc, str):
                doc = json.loads(doc)
            for st in doc["Statement"]:
                for res in _as_list(st.get("Resource", [])):
                    if res.startswith("arn:aws:s3:::"):
                        buckets.add(res[len("arn:aws:s3:::"):].split("/")[0])
        lake = {d["bucket_name"] for d in config.get("data", {}).get("databricks_aws_unity_catalog_policy", {}).values()}
        check(buckets == lake, f"role {r['name']}: S3 access to exactly the data-lake buckets ({', '.join(sorted(lake))})")

    if args.same_as:
        with open(args.same_as, encoding="utf-8") as f:
            before = json.load(f)
        for key, ids in before.items():
            check(snapshot.get(key) == ids, f"unchanged since the snapshot: {key}")
    if args.snapshot:
        with open(args.snapshot, "w", encoding="utf-8") as f:
            json.dump(snapshot, f, indent=2)
    return report(failures)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def report(failures) -> int:
    if failures:
        print(f"check: {len(failures)} failed")
        return 1
    print("check: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
