/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of hv_vmbus (events/hv_vmbus/ in tracefs):
 *   vmbus_msg_recv  every host channel message that passed validation
 *                   (chanmsg.c), before it is handled
 *   vmbus_msg_post  every channel message hv_vmbus posts (connection.c)
 * Fields: the channel message type, its name, the relid for the types
 * that carry one (-1 otherwise) and the length in bytes.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hv_vmbus

#if !defined(_VMBUS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VMBUS_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(vmbus_msg,
	TP_PROTO(u32 type, const char *name, s64 relid, u32 len),
	TP_ARGS(type, name, relid, len),
	TP_STRUCT__entry(
		__field(u32, type)
		__string(name, name)
		__field(s64, relid)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->type = type;
		__assign_str(name, name);
		__entry->relid = relid;
		__entry->len = len;
	),
	TP_printk("type=%u name=%s relid=%lld len=%u", __entry->type,
		  __get_str(name), __entry->relid, __entry->len)
);

DEFINE_EVENT(vmbus_msg, vmbus_msg_recv,
	TP_PROTO(u32 type, const char *name, s64 relid, u32 len),
	TP_ARGS(type, name, relid, len)
);

DEFINE_EVENT(vmbus_msg, vmbus_msg_post,
	TP_PROTO(u32 type, const char *name, s64 relid, u32 len),
	TP_ARGS(type, name, relid, len)
);

#endif /* _VMBUS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
