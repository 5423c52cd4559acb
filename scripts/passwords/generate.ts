// `npm run passwords:generate`: rewrites worker/auth/common-passwords.ts from the
// installed @zxcvbn-ts/language-common. Run it after upgrading that package; a unit test
// (test/unit/password-policy.test.ts) fails until the two agree.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { commonPasswordsModule } from "./common-passwords-source.ts";

const target = fileURLToPath(new URL("../../worker/auth/common-passwords.ts", import.meta.url));
writeFileSync(target, commonPasswordsModule());
console.log(`wrote ${target}`);
