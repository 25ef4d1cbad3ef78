// The one line that says which environment a preflight or a run checked (issue 14 item 16):
// "Preflight passed" alone does not tell a QA engineer whether the sandbox or a real GG answered.
import type { SuiteConfig } from '../../../support/config';
import { originOnly } from '../../../support/mask';

/** `embeddedSandbox`: the sandbox this command started itself (and stops when done). */
export function targetLine(config: SuiteConfig, embeddedSandbox: boolean): string {
  const where = `Kong Admin API ${originOnly(config.ggAdminUrl) ?? config.ggAdminUrl}, proxy ${originOnly(config.ggProxyUrl) ?? config.ggProxyUrl}, oxd ${originOnly(config.oxdUrl) ?? config.oxdUrl}, AS ${originOnly(config.ceUrl) ?? config.ceUrl}`;
  if (embeddedSandbox) return `Target: the embedded sandbox (an emulation of GG 4.2 + Gluu Server 4.2, started for this command): ${where}`;
  return `Target: external deployment (UMA_PROVISION=${config.provision}): ${where}`;
}
