import { CreateInitialSchema1795810987813 } from './1795810987813-CreateInitialSchema';
import { AddChangeNotifications1795821788740 } from './1795821788740-AddChangeNotifications';
import { ReviewQueue1795821922176 } from './1795821922176-ReviewQueue';
import { IndexDerivedFaceReferences1795822038703 } from './1795822038703-IndexDerivedFaceReferences';
import { UserAccounts1796000000000 } from './1796000000000-UserAccounts';
import { EmployeeReferencesNeedConsent1796200000000 } from './1796200000000-EmployeeReferencesNeedConsent';
import { EvidenceRetention1796500000000 } from './1796500000000-EvidenceRetention';
import { CameraLeases1797000000000 } from './1797000000000-CameraLeases';
import { RefreshRuns1797100000000 } from './1797100000000-RefreshRuns';
import { ScanJobs1797200000000 } from './1797200000000-ScanJobs';
import { KioskLiveness1797300000000 } from './1797300000000-KioskLiveness';
import { ModelHead1797400000000 } from './1797400000000-ModelHead';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the compiled app, the CLI and
 * the tests run the same set regardless of where dist/ lives; a test checks this list against
 * the folder.
 */
export const MIGRATIONS = [
  CreateInitialSchema1795810987813,
  AddChangeNotifications1795821788740,
  ReviewQueue1795821922176,
  IndexDerivedFaceReferences1795822038703,
  UserAccounts1796000000000,
  EmployeeReferencesNeedConsent1796200000000,
  EvidenceRetention1796500000000,
  CameraLeases1797000000000,
  RefreshRuns1797100000000,
  ScanJobs1797200000000,
  KioskLiveness1797300000000,
  ModelHead1797400000000,
];
