/** Property test: the Alibaba, OCI, OpenStack, Tencent, Huawei, Volcengine and QingCloud adapters never throw on junk. */
import { it, expect } from "vitest";
import fc from "fast-check";
import { modelResource, handledTokens } from "../../src/providers";
const mine = handledTokens().filter((t) => /^(alicloud|oci|openstack|tencentcloud|huaweicloud|volcengine|qingcloud):/.test(t));
const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const leaf = fc.oneof(fc.constant(null), fc.constant(undefined), fc.constant(U), fc.string(), fc.integer(), fc.boolean(), fc.constantFrom("tcp","all","-1/-1","22/22","0.0.0.0/0","ACCEPT#0.0.0.0/0#80#TCP","INGRESS","ingress","IPv4","drop","1","6", "ALL"));
const val = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("protocol","port","portRange","cidrIp","sourceCidrIp","destinationCidrIp","policy","priority","action","direction","tcpOptions","min","max","destinationPortRange","source","sourceType","destination","stateless","ingresses","egresses","ingressAclEntries","egressAclEntries","ingressRules","egressRules","rules","ipProtocol","fromPort","toPort","cidr","type","ethertype","remoteIpPrefix","portRangeMin","portRangeMax","ports","networkAclQuintupleSet","addressTemplate","protocolTemplate","cidrBlock","portStart","portEnd","ipVersion","entries","entrys","securityGroupId","id","enabled"), tie("v"), { maxKeys: 6 })) })).v;
it("no adapter of these clouds throws, whatever the props (modelResource would report \"could not be read\")", () => {
  fc.assert(fc.property(fc.constantFrom(...mine), val, (type, props) => {
    const m = modelResource({ type, urn: "u", name: "n", props });
    const probs = m && "problems" in m ? m.problems : [];
    expect(probs.some((p) => /could not be read/.test(p.problem))).toBe(false);
  }), { numRuns: 3000 });
});
