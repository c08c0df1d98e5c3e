import { newEquipmentPurchases, wonWholesaleDeals } from './deals.ts';

// `npm run start:dev` and `npm run start:prod` print the same request with each portal's IDs.
console.log(JSON.stringify({ deals: wonWholesaleDeals(), purchases: newEquipmentPurchases() }));
