// The records of an organisation's people; ./people.ts reads and builds them.
import type { Millis } from "./model.js";

export interface OrgMemberRec {
  login: string;
  role: "admin" | "member";
  /** A public membership; GitHub shows concealed ones only to members and owners. */
  public: boolean;
}

export interface TeamMemberRec {
  login: string;
  role: "member" | "maintainer";
}

export interface TeamRec {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  privacy: "closed" | "secret";
  members: TeamMemberRec[];
  createdAt: Millis;
}

export interface OrgPeople {
  /** In the order they joined: GitHub lists members by user id, which tracks sign-up. */
  members: OrgMemberRec[];
  teams: TeamRec[];
  nextTeamId: number;
}
