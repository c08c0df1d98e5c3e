import { B24Hook } from '@bitrix24/b24jssdk';
import { countSmartProcessItems, listPurchases } from './crm-items.js';
import { describeEntityType, smartProcesses } from './entity-types.js';
import { EntityTypeId } from './generated/ownertypes.js';

const webhookUrl = process.env['B24_WEBHOOK_URL'];
if (webhookUrl === undefined || webhookUrl === '') {
  console.error('Set B24_WEBHOOK_URL to an inbound webhook with the crm scope.');
  process.exitCode = 2;
} else {
  const b24 = B24Hook.fromWebhookUrl(webhookUrl);

  const purchases = await listPurchases(b24);
  console.log(`${describeEntityType(EntityTypeId.Purchase)}: ${purchases.length} items`);
  for (const item of purchases.slice(0, 5)) console.log(`  #${item.id} ${item.title}`);

  for (const [name, count] of await countSmartProcessItems(b24, smartProcesses)) {
    console.log(`Spa.${name}: ${count} items`);
  }
}
