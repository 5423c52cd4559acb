// The account's menu: who is signed in, the theme, Settings, Sign up (guests) and Log out.
// On every width it hangs from the avatar button in the app header; on a phone in a room
// its entries also end the room's "⋯" menu, as that row has no room for a second button.
import { loginPath, signupPath } from "../lib/router.ts";
import { currentTheme, toggleTheme } from "../lib/theme.ts";
import { Avatar } from "./avatar.tsx";
import { GuestBadge } from "./guest-badge.tsx";
import { type MenuEntry, OverflowMenu } from "./overflow-menu.tsx";
import type { Shell } from "./shell-context.ts";

/**
 * The account entries. The theme entry names the theme it switches to, read as the menu
 * opens (the system may have switched it since).
 */
export function accountEntries(shell: Shell): MenuEntry[] {
  const { user } = shell;
  const theme = currentTheme();
  const themeEntry: MenuEntry = {
    label: theme === "dark" ? "Light theme" : "Dark theme",
    icon: theme === "dark" ? "sun" : "moon",
    onSelect: () => void toggleTheme(),
  };
  if (!user) {
    return [
      themeEntry,
      "separator",
      { label: "Log in", icon: "logIn", href: loginPath() },
      { label: "Sign up", icon: "userPlus", href: signupPath() },
    ];
  }
  return [
    {
      heading: (
        <>
          <span class="menu-heading-label">Signed in as</span>
          <span class="menu-heading-name" title={user.name}>
            {user.name}
          </span>
          {user.guest && <GuestBadge />}
        </>
      ),
    },
    "separator",
    themeEntry,
    user.guest
      ? { label: "Sign up", icon: "userPlus", href: signupPath() }
      : { label: "Settings", icon: "settings", href: "/settings" },
    "separator",
    { label: "Log out", icon: "logOut", onSelect: shell.onLogout, disabled: shell.loggingOut },
  ];
}

/** The avatar button and its menu. */
export function UserMenu(props: { shell: Shell; user: NonNullable<Shell["user"]> }) {
  return (
    <OverflowMenu
      id="user-menu"
      label="Account"
      class="user-menu"
      buttonClass="btn btn-quiet user-menu-button"
      trigger={<Avatar id={props.user.id} name={props.user.name} size={30} />}
      entries={() => accountEntries(props.shell)}
    />
  );
}
