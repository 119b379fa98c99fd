import type { FluentIcon } from '@fluentui/react-icons';
import {
  CartRegular,
  CheckmarkStarburstRegular,
  DataBarVerticalRegular,
  DataTrendingRegular,
  HistoryRegular,
  PeopleRegular,
  PersonAddRegular,
  PersonClockRegular,
  SettingsRegular,
  ShieldTaskRegular,
  TableArrowUpRegular,
  TextBulletListSquareRegular,
  WalletCreditCardRegular,
} from '@fluentui/react-icons';

/** Each page's icon in the tabs and the More menu (which load beside the first page, not with it). */
const PAGE_ICONS: Record<string, FluentIcon> = {
  'my-credits': WalletCreditCardRegular,
  registration: PersonAddRegular,
  history: HistoryRegular,
  registrations: PersonClockRegular,
  purchases: CartRegular,
  members: PeopleRegular,
  pool: DataTrendingRegular,
  imports: TableArrowUpRegular,
  reports: DataBarVerticalRegular,
  audit: ShieldTaskRegular,
  feed: TextBulletListSquareRegular,
  setup: CheckmarkStarburstRegular,
  settings: SettingsRegular,
};

export function PageIcon({ id }: { id: string }) {
  const Icon = PAGE_ICONS[id];
  return Icon ? <Icon /> : null;
}
